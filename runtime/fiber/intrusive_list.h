#pragma once
// A doubly linked list threaded through its elements (each has `prev` and `next` members), for
// the waiters of the fiber runtime: parking and waking are the hottest paths of the simulator,
// and a std::list allocates a node on every push and searches on every remove.
//
// An element is in at most one such list at a time and must be removed before it is destroyed.

#include <vector>

#include "core/util/assert.h"

namespace ringcache::fiber {

template <typename T>
class IntrusiveList {
 public:
  IntrusiveList() = default;
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;
  ~IntrusiveList() { RING_ASSERT_MSG(empty(), "an intrusive list destroyed while not empty"); }

  bool empty() const { return head_ == nullptr; }
  T* front() const { return head_; }

  void push_back(T* element) {
    RING_ASSERT(element->prev == nullptr && element->next == nullptr && element != head_);
    element->prev = tail_;
    if (tail_ != nullptr) {
      tail_->next = element;
    } else {
      head_ = element;
    }
    tail_ = element;
  }
  void remove(T* element) {
    if (element->prev != nullptr) {
      element->prev->next = element->next;
    } else {
      RING_ASSERT(head_ == element);
      head_ = element->next;
    }
    if (element->next != nullptr) {
      element->next->prev = element->prev;
    } else {
      tail_ = element->prev;
    }
    element->prev = element->next = nullptr;
  }
  T* pop_front() {
    T* element = head_;
    if (element != nullptr) remove(element);
    return element;
  }
  // The elements in order, copied: for waking them all while they remove themselves.
  std::vector<T*> snapshot() const {
    std::vector<T*> out;
    for (T* element = head_; element != nullptr; element = element->next) out.push_back(element);
    return out;
  }

 private:
  T* head_ = nullptr;
  T* tail_ = nullptr;
};

}  // namespace ringcache::fiber
