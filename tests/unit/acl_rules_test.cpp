// ACL users and rules without a node: SHA-256, rule parsing with Redis' errors, the description
// that ACL LIST and GETUSER give back, and the permission decision.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "core/commands/command.h"
#include "core/server/acl/acl.h"
#include "core/server/acl/permissions.h"
#include "core/server/acl/rules.h"
#include "core/util/sha256.h"

namespace ringcache::testing {
namespace {

namespace acl = server::acl;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // 55, 56 and 64 bytes: the padding spills into a second block from 56 on.
  EXPECT_EQ(sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

class AclRules : public ::testing::Test {
 protected:
  server::CommandTable table = commands::build_command_table();
  acl::RuleContext context{table, false};

  acl::User user_with(std::vector<std::string_view> rules) {
    acl::User user = acl::new_user("u", context);
    Status status = acl::apply_rules(user, rules, context);
    EXPECT_TRUE(status.is_ok()) << status.message();
    return user;
  }
  std::string error_of(std::vector<std::string_view> rules) {
    acl::User user = acl::new_user("u", context);
    return acl::apply_rules(user, rules, context).message();
  }
  acl::Verdict check(const acl::User& user, std::vector<std::string_view> argv) {
    const server::CommandSpec* spec = table.find(argv[0]);
    if (!spec->subcommands.empty()) spec = table.find_subcommand(*spec, argv[1]);
    return acl::check_command(user, *spec, argv);
  }
};

TEST_F(AclRules, NewAndDefaultUsersAreDescribedAsRedisDoes) {
  EXPECT_EQ(acl::describe_user(acl::new_user("v", context), table),
            "user v off resetchannels -@all");
  EXPECT_EQ(acl::describe_user(acl::new_default_user(context), table),
            "user default on nopass ~* &* +@all");
  EXPECT_EQ(acl::describe_user(user_with({"reset"}), table),
            "user u off sanitize-payload resetchannels -@all");
}

TEST_F(AclRules, PasswordsAreStoredAsSha256AndRemovedByEitherForm) {
  acl::User user = user_with({"on", ">pw", ">pw", "#" + sha256_hex("other")});
  ASSERT_EQ(user.password_hashes.size(), 2u);
  EXPECT_EQ(user.password_hashes[0], sha256_hex("pw"));
  ASSERT_TRUE(acl::apply_rule(user, "<pw", context).is_ok());
  ASSERT_TRUE(acl::apply_rule(user, "!" + sha256_hex("other"), context).is_ok());
  EXPECT_TRUE(user.password_hashes.empty());
  EXPECT_EQ(acl::apply_rule(user, "<pw", context).message(),
            "The password you are trying to remove from the user does not exist");
  ASSERT_TRUE(acl::apply_rule(user, ">x", context).is_ok());
  ASSERT_TRUE(acl::apply_rule(user, "nopass", context).is_ok());
  EXPECT_TRUE(user.nopass);
  EXPECT_TRUE(user.password_hashes.empty());
}

TEST_F(AclRules, ErrorsUseRedisWords) {
  EXPECT_EQ(error_of({"bogus"}), "ERR Error in ACL SETUSER modifier 'bogus': Syntax error");
  EXPECT_EQ(error_of({"+nosuch"}),
            "ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in "
            "ACL");
  EXPECT_EQ(error_of({"+@nosuch"}),
            "ERR Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in "
            "ACL");
  EXPECT_EQ(error_of({"#abc"}),
            "ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 "
            "characters and contain only lowercase hexadecimal characters");
  EXPECT_EQ(error_of({"~*", "~x"}),
            "ERR Error in ACL SETUSER modifier '~x': Adding a pattern after the * pattern (or the "
            "'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start "
            "with an empty list of patterns");
  EXPECT_EQ(error_of({"&*", "&x"}),
            "ERR Error in ACL SETUSER modifier '&x': Adding a pattern after the * pattern (or the "
            "'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' "
            "to start with an empty list of channels");
  EXPECT_EQ(error_of({"+config|get|x"}),
            "ERR Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a "
            "subcommand is not supported");
  EXPECT_EQ(error_of({"+config|nosuch"}),
            "ERR Error in ACL SETUSER modifier '+config|nosuch': Unknown command or category "
            "name in ACL");
  EXPECT_EQ(error_of({"-select|0"}),
            "ERR Error in ACL SETUSER modifier '-select|0': Unknown command or category name in "
            "ACL");
  EXPECT_EQ(error_of({"%~x"}), "ERR Error in ACL SETUSER modifier '%~x': Syntax error");
  EXPECT_EQ(error_of({"%X~x"}), "ERR Error in ACL SETUSER modifier '%X~x': Syntax error");
  EXPECT_EQ(error_of({"(~a", "+get"}), "ERR Unmatched parenthesis in acl selector starting at '(~a'.");
  EXPECT_EQ(error_of({"(&* &x)"}).find("ERR Error in ACL SETUSER modifier '(&* &x)': Adding"), 0u);
}

TEST_F(AclRules, CommandRulesAreDescribedFromThePermissions) {
  auto commands = [&](std::vector<std::string_view> rules) {
    return acl::describe_commands(user_with(std::move(rules)).root(), table);
  };
  EXPECT_EQ(commands({"+get"}), "-@all +get");
  EXPECT_EQ(commands({"+@all", "-client|kill"}), "+@all -client|kill");
  EXPECT_EQ(commands({"+memory|doctor", "+memory"}), "-@all +memory");
  EXPECT_EQ(commands({"+@all", "+client|id"}), "+@all");
  EXPECT_EQ(commands({"+acl", "+select|0"}), "-@all +acl +select|0");
  EXPECT_EQ(commands({"allcommands", "-@all"}), "-@all");
  for (std::string_view category : {"read", "write", "string", "admin", "dangerous", "list"}) {
    const std::string plus = "+@" + std::string(category);
    const std::string minus = "-@" + std::string(category);
    EXPECT_EQ(commands({plus}), "-@all " + plus);
    EXPECT_EQ(commands({"+@all", minus}), "+@all " + minus);
  }
}

TEST_F(AclRules, KeyAndChannelPatternsAreDescribed) {
  acl::User user = user_with({"%R~foo", "%W~foo", "%RW~bar", "%R~baz", "&ch", "(~x +get)"});
  EXPECT_EQ(acl::describe_keys(user.root()), "~foo ~bar %R~baz");
  EXPECT_EQ(acl::describe_channels(user.root()), "&ch");
  EXPECT_EQ(acl::describe_user(user, table),
            "user u off ~foo ~bar %R~baz resetchannels &ch -@all (~x resetchannels -@all +get)");
  EXPECT_EQ(acl::describe_keys(user_with({"%R~*"}).root()), "%R~*");
  EXPECT_EQ(acl::describe_keys(user_with({"allkeys"}).root()), "~*");
}

TEST_F(AclRules, PermissionsFollowCommandsKeysAndChannels) {
  acl::User user = user_with({"+get", "+set", "+publish", "+psubscribe", "~k*", "&news.*"});
  EXPECT_TRUE(check(user, {"get", "k1"}).allowed());
  const acl::Verdict key = check(user, {"get", "other"});
  EXPECT_EQ(key.denial, acl::Denial::key);
  EXPECT_EQ(key.argument, 1);
  EXPECT_EQ(check(user, {"del", "k1"}).denial, acl::Denial::command);
  EXPECT_TRUE(check(user, {"publish", "news.today", "m"}).allowed());
  EXPECT_EQ(check(user, {"publish", "sport", "m"}).denial, acl::Denial::channel);
  // A pattern subscription needs the very same pattern, not one it matches.
  EXPECT_EQ(check(user, {"psubscribe", "news.t*"}).denial, acl::Denial::channel);
  EXPECT_TRUE(check(user, {"psubscribe", "news.*"}).allowed());
}

TEST_F(AclRules, ReadAndWriteKeyPatternsAndSelectors) {
  acl::User user = user_with({"+@all", "%R~read*", "%W~write*", "(+get ~other)"});
  EXPECT_TRUE(check(user, {"get", "read1"}).allowed());
  EXPECT_EQ(check(user, {"get", "write1"}).denial, acl::Denial::key);
  EXPECT_TRUE(check(user, {"set", "write1", "v"}).allowed());
  EXPECT_EQ(check(user, {"set", "read1", "v"}).denial, acl::Denial::key);
  EXPECT_TRUE(check(user, {"get", "other"}).allowed());  // the second selector allows it
  EXPECT_EQ(check(user, {"set", "other", "v"}).denial, acl::Denial::key);
}

TEST_F(AclRules, KeyPatternsFollowRedisKeySpecFlags) {
  acl::User user = user_with({"+@all", "%R~read*", "%W~write*", "%RW~both*"});
  // TTL's key is "RO access" (a read); EXISTS' is "RO" alone, which either kind allows.
  EXPECT_EQ(check(user, {"ttl", "write1"}).denial, acl::Denial::key);
  EXPECT_TRUE(check(user, {"ttl", "read1"}).allowed());
  EXPECT_TRUE(check(user, {"exists", "write1"}).allowed());
  // LMOVE reads and deletes from its source ("RW access delete"), inserts into its destination.
  EXPECT_TRUE(check(user, {"lmove", "both1", "write1", "left", "right"}).allowed());
  EXPECT_EQ(check(user, {"lmove", "write1", "write2", "left", "right"}).denial, acl::Denial::key);
  // SET overwrites ("OW update") unless GET returns the old value too.
  EXPECT_TRUE(check(user, {"set", "write1", "v"}).allowed());
  EXPECT_EQ(check(user, {"set", "write1", "v", "GET"}).denial, acl::Denial::key);
}

TEST_F(AclRules, FirstArgumentsAllowOneFormOfACommand) {
  acl::User user = user_with({"+select|0"});
  EXPECT_TRUE(check(user, {"select", "0"}).allowed());
  EXPECT_EQ(check(user, {"select", "1"}).denial, acl::Denial::command);
}

TEST_F(AclRules, TheDefaultUserIsUnrestrictedUntilRestricted) {
  acl::User user = acl::new_default_user(context);
  EXPECT_TRUE(user.unrestricted);
  ASSERT_TRUE(acl::apply_rule(user, "-flushall", context).is_ok());
  EXPECT_FALSE(user.unrestricted);
}

TEST_F(AclRules, AclFileTextLoadsAllOrNothing) {
  acl::Acl users(table);
  ASSERT_TRUE(users.load_file_text("user alice on >a ~* &* +@all\n# comment\n\nuser bob off\n",
                                   "users.acl")
                  .is_ok());
  EXPECT_NE(users.find("alice"), nullptr);
  EXPECT_TRUE(users.default_user()->unrestricted);  // a fresh default user when none is named
  const Status duplicate = users.load_file_text("user carol on\nuser carol off\n", "users.acl");
  EXPECT_NE(duplicate.message().find("users.acl:2: Duplicate user 'carol' found"),
            std::string::npos);
  EXPECT_EQ(users.find("carol"), nullptr);
  EXPECT_NE(users.find("alice"), nullptr);
  EXPECT_EQ(users.file_text(),
            "user alice on #" + sha256_hex("a") + " ~* &* +@all\nuser bob off resetchannels -@all\n"
            "user default on nopass ~* &* +@all\n");
  EXPECT_NE(users.authenticate("alice", "a"), nullptr);
  EXPECT_EQ(users.authenticate("alice", "b"), nullptr);
  EXPECT_EQ(users.authenticate("bob", ""), nullptr);  // off
}

// Any user, described as ACL LIST does and read back from that line, is the same user.
RC_GTEST_PROP(AclRulesProperty, DescriptionRoundTrips, ()) {
  static const server::CommandTable table = commands::build_command_table();
  const acl::RuleContext context{table, false};
  static const std::vector<std::string> pool = {
      "on", "off", ">a", ">b", "nopass", "resetpass", "+@read", "-@write", "+@all", "-@all",
      "+get", "-get", "+set", "+config|get", "-config|set", "+client", "+select|0", "~k*",
      "%R~r*", "%W~w*", "allkeys", "resetkeys", "&ch*", "allchannels", "resetchannels",
      "(+get ~x)", "(%R~y &z -@all +@string)", "clearselectors", "-@dangerous", "+@admin",
      "sanitize-payload", "skip-sanitize-payload", "reset", "-client|kill", "+debug|object"};
  const auto picks = *rc::gen::container<std::vector<size_t>>(
      rc::gen::inRange<size_t>(0, pool.size()));
  acl::User user = acl::new_user("u", context);
  for (size_t pick : picks) (void)acl::apply_rule(user, pool[pick], context);
  const std::string line = acl::describe_user(user, table);
  std::vector<std::string> words;
  size_t depth = 0;
  std::string current;
  for (char c : line.substr(std::string("user u ").size())) {  // selectors hold spaces
    if (c == ' ' && depth == 0) {
      words.push_back(current);
      current.clear();
      continue;
    }
    depth += c == '(';
    depth -= c == ')';
    current.push_back(c);
  }
  words.push_back(current);
  acl::User again = acl::new_user("u", context);
  const std::vector<std::string_view> rules(words.begin(), words.end());
  RC_ASSERT(acl::apply_rules(again, rules, context).is_ok());
  RC_ASSERT(acl::describe_user(again, table) == line);
  RC_ASSERT(again.selectors.size() == user.selectors.size());
  for (size_t i = 0; i < user.selectors.size(); ++i) {
    RC_ASSERT(again.selectors[i].commands == user.selectors[i].commands);
    RC_ASSERT(again.selectors[i].keys == user.selectors[i].keys);
    RC_ASSERT(again.selectors[i].channels == user.selectors[i].channels);
  }
  RC_ASSERT(again.unrestricted == user.unrestricted);
}

}  // namespace
}  // namespace ringcache::testing
