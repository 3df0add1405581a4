// The replication backlog's offset arithmetic and wrap-around, the partial-resync decision
// (including a promoted replica's second id), the PSYNC reply parser and the snapshot's framing.

#include <gtest/gtest.h>

#include <string>

#include "core/persistence/aof_record.h"
#include "core/replication/backlog.h"
#include "core/replication/replica_state.h"
#include "core/replication/replication_ids.h"
#include "core/replication/resume_point.h"
#include "core/replication/snapshot.h"

namespace ringcache::replication {
namespace {

std::string all_from(const Backlog& backlog, uint64_t offset) {
  std::string out;
  backlog.copy_from(offset, backlog.capacity() + 1, out);
  return out;
}

TEST(ReplicationBacklog, EmptyBacklogCoversOnlyTheNextByte) {
  Backlog backlog(8, 100);
  EXPECT_EQ(backlog.end_offset(), 100u);
  EXPECT_EQ(backlog.first_offset(), 101u);
  EXPECT_EQ(backlog.histlen(), 0u);
  EXPECT_TRUE(backlog.covers(101));
  EXPECT_FALSE(backlog.covers(100));
  EXPECT_FALSE(backlog.covers(102));
  EXPECT_EQ(all_from(backlog, 101), "");
}

TEST(ReplicationBacklog, OffsetsCountEveryByteAppended) {
  Backlog backlog(8);
  backlog.append("abc");
  backlog.append("de");
  EXPECT_EQ(backlog.end_offset(), 5u);
  EXPECT_EQ(backlog.first_offset(), 1u);
  EXPECT_EQ(all_from(backlog, 1), "abcde");
  EXPECT_EQ(all_from(backlog, 4), "de");
  EXPECT_EQ(all_from(backlog, 6), "");
}

TEST(ReplicationBacklog, WrapsKeepingTheNewestBytes) {
  Backlog backlog(8);
  backlog.append("0123456");  // 7 bytes
  backlog.append("789ab");    // wraps: holds 456789ab
  EXPECT_EQ(backlog.end_offset(), 12u);
  EXPECT_EQ(backlog.histlen(), 8u);
  EXPECT_EQ(backlog.first_offset(), 5u);
  EXPECT_FALSE(backlog.covers(4));
  EXPECT_EQ(all_from(backlog, 5), "456789ab");
  EXPECT_EQ(all_from(backlog, 10), "9ab");
  std::string limited;
  EXPECT_EQ(backlog.copy_from(6, 3, limited), 3u);
  EXPECT_EQ(limited, "567");
}

TEST(ReplicationBacklog, AnAppendLargerThanTheBufferKeepsItsTail) {
  Backlog backlog(4, 10);
  backlog.append("abcdefghij");
  EXPECT_EQ(backlog.end_offset(), 20u);
  EXPECT_EQ(backlog.first_offset(), 17u);
  EXPECT_EQ(all_from(backlog, 17), "ghij");
}

TEST(ReplicationBacklog, ResizeKeepsTheNewestBytesThatFit) {
  Backlog backlog(8);
  backlog.append("0123456789");
  backlog.resize(4);
  EXPECT_EQ(backlog.end_offset(), 10u);
  EXPECT_EQ(all_from(backlog, backlog.first_offset()), "6789");
  backlog.resize(16);
  backlog.append("xy");
  EXPECT_EQ(all_from(backlog, 7), "6789xy");
}

TEST(ReplicationBacklog, ResetStartsAnEmptyHistoryAtTheOffset) {
  Backlog backlog(8);
  backlog.append("abc");
  backlog.reset(500);
  EXPECT_EQ(backlog.histlen(), 0u);
  EXPECT_TRUE(backlog.covers(501));
  backlog.append("z");
  EXPECT_EQ(all_from(backlog, 501), "z");
}

ReplicationIds ids_with(std::string id) {
  ReplicationIds ids;
  ids.id = std::move(id);
  return ids;
}

TEST(ReplicationPsync, ResumesWithinTheBacklogOfTheSameHistory) {
  const std::string a(40, 'a');
  Backlog backlog(8);
  backlog.append("0123456789");  // holds offsets 3..10
  const ReplicationIds ids = ids_with(a);
  EXPECT_TRUE(decide_psync(ids, &backlog, a, 3).partial);
  EXPECT_TRUE(decide_psync(ids, &backlog, a, 11).partial);   // nothing missed
  EXPECT_FALSE(decide_psync(ids, &backlog, a, 2).partial);   // fell out of the backlog
  EXPECT_FALSE(decide_psync(ids, &backlog, a, 12).partial);  // ahead of the primary
  EXPECT_FALSE(decide_psync(ids, &backlog, a, -1).partial);
  EXPECT_FALSE(decide_psync(ids, &backlog, "?", -1).partial);
  EXPECT_FALSE(decide_psync(ids, nullptr, a, 11).partial);
  EXPECT_FALSE(decide_psync(ids, &backlog, std::string(40, 'b'), 5).partial);
}

TEST(ReplicationPsync, APromotedReplicaAcceptsItsOldHistoryUpToWhereItLeftIt) {
  const std::string old_id(40, 'a');
  const std::string new_id(40, 'c');
  Backlog backlog(64);
  backlog.append("0123456789");  // offsets 1..10 under the old id
  ReplicationIds ids = ids_with(old_id);
  ids.shift(new_id, backlog.end_offset());
  EXPECT_EQ(ids.id, new_id);
  EXPECT_EQ(ids.id2, old_id);
  EXPECT_EQ(ids.second_offset, 11);
  backlog.append("abc");  // offsets 11..13 under the new id
  // A replica of the old primary that had applied up to 10 (asks for 11) resumes here.
  EXPECT_TRUE(decide_psync(ids, &backlog, old_id, 11).partial);
  EXPECT_TRUE(decide_psync(ids, &backlog, old_id, 5).partial);
  // One that claims bytes of the old history this node never had cannot.
  EXPECT_FALSE(decide_psync(ids, &backlog, old_id, 12).partial);
  EXPECT_TRUE(decide_psync(ids, &backlog, new_id, 13).partial);
}

TEST(ReplicationPsync, NewIdsAreFortyHexCharactersAndDiffer) {
  Rng rng(7);
  const std::string first = new_replication_id(rng);
  const std::string second = new_replication_id(rng);
  EXPECT_EQ(first.size(), 40u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(first, second);
}

TEST(ReplicationPsync, ParsesThePrimarysAnswers) {
  const std::string id(40, 'f');
  PsyncReply full = parse_psync_reply("+FULLRESYNC " + id + " 1234");
  EXPECT_EQ(full.kind, PsyncReply::Kind::full);
  EXPECT_EQ(full.replid, id);
  EXPECT_EQ(full.offset, 1234u);
  PsyncReply partial = parse_psync_reply("+CONTINUE " + id);
  EXPECT_EQ(partial.kind, PsyncReply::Kind::partial);
  EXPECT_EQ(partial.replid, id);
  EXPECT_EQ(parse_psync_reply("+CONTINUE").kind, PsyncReply::Kind::partial);
  EXPECT_EQ(parse_psync_reply("+FULLRESYNC abc 12").kind, PsyncReply::Kind::error);
  EXPECT_EQ(parse_psync_reply("+FULLRESYNC " + id + " 12x").kind, PsyncReply::Kind::error);
  EXPECT_EQ(parse_psync_reply("-NOMASTERLINK Can't SYNC").kind, PsyncReply::Kind::error);
}

TEST(ReplicationSnapshot, ReaderAppliesRecordsArrivingInAnyPiecesAndStopsAtTheEnd) {
  std::string wire;
  const std::vector<std::string_view> set{"SET", "k", "v"};
  const std::vector<std::string_view> rpush{"RPUSH", "l", "a", "b"};
  std::string payload;
  persistence::append_resp_command(payload, set);
  persistence::append_resp_command(payload, rpush);
  persistence::append_record(wire, payload);
  wire += snapshot_end_record();
  const size_t snapshot_bytes = wire.size();
  wire += "*1\r\n$4\r\nPING\r\n";  // the stream that follows
  for (size_t piece = 1; piece <= wire.size(); ++piece) {
    std::vector<std::string> seen;
    SnapshotReader reader([&](auto argv) { seen.emplace_back(argv[0]); });
    size_t taken = 0;
    for (size_t at = 0; at < wire.size() && !reader.done(); at += piece) {
      auto fed = reader.feed(std::string_view(wire).substr(at, piece));
      ASSERT_TRUE(fed);
      taken += fed.value();
    }
    EXPECT_TRUE(reader.done());
    EXPECT_EQ(taken, snapshot_bytes) << "piece " << piece;
    EXPECT_EQ(seen, (std::vector<std::string>{"SET", "RPUSH"}));
  }
}

TEST(ReplicationSnapshot, ReaderRefusesADamagedRecord) {
  std::string wire;
  persistence::append_record(wire, std::string_view("*1\r\n$4\r\nPING\r\n"));
  wire[wire.size() - 3] ^= 1;
  SnapshotReader reader([](auto) {});
  EXPECT_FALSE(reader.feed(wire));
}

TEST(ReplicationResumePoint, RoundTripsAndRefusesAnythingElse) {
  const ResumePoint point{std::string(40, 'e'), 123456789};
  const std::string text = encode_resume_point(point);
  EXPECT_EQ(decode_resume_point(text), point);
  EXPECT_FALSE(decode_resume_point(text.substr(0, text.size() - 1)));  // torn
  // A shorter number is still a number: the newline marks a whole write.
  EXPECT_EQ(decode_resume_point(text.substr(0, text.size() - 3) + "\n")->offset, 1234567u);
  EXPECT_FALSE(decode_resume_point("ringcache-replica abc 12\n"));
  EXPECT_FALSE(decode_resume_point(""));
}

}  // namespace
}  // namespace ringcache::replication
