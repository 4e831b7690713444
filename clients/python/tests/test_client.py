"""The Python client against a real Borda API (apps/api/test/python-client.test.ts starts one).

Environment: BORDA_URL, BORDA_TOKEN (a researcher's API token), BORDA_LABELER_TOKEN (a labeler's),
BORDA_EMAIL and BORDA_PASSWORD (the researcher's sign-in). Without BORDA_URL every test is skipped,
unless BORDA_REQUIRE_API is set (the npm test run sets it, so a missing variable fails there).
"""

import gzip
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from borda_client import BordaClient, BordaError, BordaTimeout  # noqa: E402

URL = os.environ.get("BORDA_URL")
if not URL and os.environ.get("BORDA_REQUIRE_API"):
    raise RuntimeError("BORDA_URL is not set: these tests need a running Borda API")

# Three responses per prompt whose quality the fake labeler ranks by their first words.
RANKS = {"A careful": 3, "A short": 2, "I refuse": 1}
PROMPTS = [
    ("reverse", "How do I reverse a list in Python?"),
    ("boil", "At what temperature does water boil at sea level?"),
    ("sort", "How do I sort a dict by value?"),
    ("http", "What does HTTP 404 mean?"),
    ("git", "How do I undo the last git commit?"),
    ("capital", "What is the capital of France?"),
]
LABELS = 8


def rank(text):
    for prefix, value in RANKS.items():
        if text.startswith(prefix):
            return value
    return 0


def prompt_line(key, text):
    return {
        "id": key,
        "prompt": text,
        "responses": [
            {"text": "A careful, correct answer to %s." % key, "model": "model-a", "ref_logprob": -12.0},
            {"text": "A short answer to %s." % key, "model": "model-b", "ref_logprob": -8.0},
            {"text": "I refuse to answer %s." % key, "model": "model-c", "ref_logprob": -15.0},
        ],
    }


def env(name):
    value = os.environ.get(name)
    if not value:
        raise unittest.SkipTest("%s is not set" % name)
    return value


def deadline_poll(check, timeout, what, explain=None):
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            why = "; %s" % explain() if explain else ""
            raise AssertionError("timed out after %d s waiting for %s%s" % (timeout, what, why))
        time.sleep(0.3)


@unittest.skipUnless(URL or os.environ.get("BORDA_REQUIRE_API"), "BORDA_URL is not set")
class ResearcherLoopTest(unittest.TestCase):
    """create → dry run (bad lines) → refused import → import (plain + gzip) → start → label → progress →
    exports (parsed) → model and policy."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="borda-client-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.researcher = BordaClient(env("BORDA_URL"), env("BORDA_TOKEN"))
        self.labeler = BordaClient(env("BORDA_URL"), env("BORDA_LABELER_TOKEN"))

    def write(self, name, lines, compress=False):
        path = os.path.join(self.dir, name)
        data = "".join(line if isinstance(line, str) else json.dumps(line) + "\n" for line in lines).encode()
        with (gzip.open(path, "wb") if compress else open(path, "wb")) as f:
            f.write(data)
        return path

    def label(self, campaign_id, count):
        """The labeler judges ``count`` comparisons, always preferring the better-ranked response."""
        for i in range(count):
            lease = deadline_poll(lambda: self.labeler.next_comparison(campaign_id), 60, "a comparison to label")
            self.labeler.heartbeat(lease["id"])
            left, right = rank(lease["left"]["text"]), rank(lease["right"]["text"])
            self.assertNotEqual(left, right, "the fixture never pairs equally ranked responses")
            answer = self.labeler.submit(
                lease["id"], "A" if left > right else "B", strength=2, time_taken_ms=900, idempotency_key="py-%d" % i
            )
            self.assertFalse(answer["duplicate"])

    def test_researcher_loop(self):
        me = self.labeler.me()
        self.assertEqual(me["role"], "labeler")
        campaign = self.researcher.create_campaign(
            name="Python client loop",
            strategy="ae-borda",
            budget=100,
            retrainEvery=5,
            batchSize=4,
            bufferSize=8,
            featureDim=16,
            labelerIds=[me["id"]],
        )
        cid = campaign["id"]
        self.assertEqual(campaign["status"], "draft")

        # A dry run reports every bad line with its number and code, and writes nothing.
        bad = self.write(
            "bad.jsonl",
            [prompt_line("ok", "Fine?"), {"id": "no-responses", "prompt": "Where are they?"}, "{not json\n"],
        )
        seen = []
        report = self.researcher.import_file(cid, bad, dry_run=True, on_progress=lambda n, total: seen.append((n, total)))
        self.assertFalse(report["valid"])
        self.assertEqual([e["line"] for e in report["errors"]], [2, 3])
        self.assertEqual(report["errors"][0]["code"], "INVALID_FIELD")
        self.assertEqual(report["errors"][1]["code"], "INVALID_JSON")
        self.assertEqual(seen[-1], (os.path.getsize(bad), os.path.getsize(bad)))

        # The real import of the same file is refused as a whole: a BordaError naming the lines.
        with self.assertRaises(BordaError) as refused:
            self.researcher.import_file(cid, bad)
        error = refused.exception
        self.assertEqual((error.status, error.code), (422, "IMPORT_INVALID"))
        self.assertEqual([e["line"] for e in error.line_errors], [2, 3])
        self.assertIn("line 2, responses", str(error))
        self.assertEqual(self.researcher.status(cid)["promptCount"], 0)

        # The good prompts: half as plain JSONL, half gzipped (sent as it is; the API decompresses it).
        lines = [prompt_line(key, text) for key, text in PROMPTS]
        plain = self.write("good.jsonl", lines[:3])
        packed = self.write("good.jsonl.gz", lines[3:], compress=True)
        progress = []
        first = self.researcher.import_file(cid, plain, on_progress=lambda n, total: progress.append(n))
        self.assertEqual((first["promptCount"], first["responseCount"]), (3, 9))
        self.assertEqual(progress[-1], os.path.getsize(plain))
        second = self.researcher.import_file(cid, packed)
        self.assertEqual((second["promptCount"], second["totalPrompts"]), (3, 6))
        prompts = list(self.researcher.prompts(cid, page_size=4))
        self.assertEqual(sorted(p["externalId"] for p in prompts), sorted(k for k, _ in PROMPTS))
        responses = {p["id"]: {r["id"] for r in p["responses"]} for p in prompts}

        # The policy is not there before any fit.
        with self.assertRaises(BordaError) as early:
            self.researcher.policy(cid)
        self.assertEqual((early.exception.status, early.exception.code), (409, "NO_MODEL_YET"))

        self.assertEqual(self.researcher.start(cid)["status"], "active")
        self.label(cid, LABELS)

        states = []
        state = self.researcher.wait_until(cid, labels=LABELS, timeout=30, interval=0.5, on_progress=states.append)
        self.assertGreaterEqual(state["labels"], LABELS)
        self.assertEqual((state["status"], state["budget"]), ("active", 100))
        self.assertTrue(states and states[-1] is state)
        with self.assertRaises(BordaTimeout):
            self.researcher.wait_until(cid, labels=1000, timeout=0.5, interval=0.2)

        # Exports stream to disk and parse; the preferred side is the one the labeler chose.
        trl = self.researcher.export(cid, "trl", os.path.join(self.dir, "trl.jsonl"), margin=True)
        with open(trl["path"]) as f:
            rows = [json.loads(line) for line in f]
        self.assertEqual((len(rows), trl["lines"]), (LABELS, LABELS))
        for row in rows:
            self.assertGreater(rank(row["chosen"]), rank(row["rejected"]))
            self.assertAlmostEqual(row["margin"], 2 / 3)
        sizes = []
        openai_path = os.path.join(self.dir, "openai.jsonl")
        openai = self.researcher.export(cid, "openai", openai_path, on_progress=lambda n, t: sizes.append(n))
        with open(openai_path) as f:
            rows = [json.loads(line) for line in f]
        self.assertEqual(len(rows), LABELS)
        self.assertEqual(sizes[-1], openai["bytes"])
        self.assertEqual(openai["bytes"], os.path.getsize(openai_path))
        for row in rows:
            self.assertEqual(row["input"]["messages"][0]["role"], "user")
            preferred, other = row["preferred_output"][0]["content"], row["non_preferred_output"][0]["content"]
            self.assertGreater(rank(preferred), rank(other))
        raw = list(self.researcher.iter_export(cid, "raw"))
        self.assertEqual(len(raw), LABELS)
        self.assertEqual({r["labelerId"] for r in raw}, {me["id"]})

        # retrainEvery=5: the workers fit a reward model and derive a policy from the labels.
        def jobs():
            runs = self.researcher.jobs(cid)
            return "jobs: " + ", ".join("%s %s %s" % (j["name"], j["state"], j["error"] or "") for j in runs)

        try:
            fitted = self.researcher.wait_until(cid, model_version=1, timeout=120, interval=0.5)
        except BordaTimeout:
            raise AssertionError("no reward model after 120 s; " + jobs()) from None
        self.assertGreaterEqual(fitted["modelVersion"], 1)
        models = self.researcher.models(cid)["items"]
        self.assertGreaterEqual(models[0]["labelCount"], 5)
        page = deadline_poll(lambda: _policy_or_none(self.researcher, cid), 120, "the first policy", jobs)
        self.assertGreaterEqual(page["policy"]["version"], 1)
        entries = list(self.researcher.policy_entries(cid, page_size=4))
        self.assertEqual(len(entries), len(PROMPTS))
        for entry in entries:
            for kind in ("greedy", "pessimistic", "soft"):
                self.assertIn(entry["picks"][kind], responses[entry["promptId"]])
        best = list(self.researcher.iter_export(cid, "best-of-n", policy="greedy"))
        self.assertEqual(len(best), len(PROMPTS))
        self.assertEqual(best[0]["messages"][-1]["role"], "assistant")


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "apps", "api", "test", "fixtures", "imports")


def hh_preferences():
    """The preferences of the HH-RLHF fixture, read from its transcripts independently of the API."""

    def turns(text):
        out = []
        for part in re.split(r"\n\n(?=Human:|Assistant:)", text):
            if part:
                speaker, _, content = part.partition(": ")
                out.append({"role": "user" if speaker == "Human" else "assistant", "content": content})
        return out

    prefs = []
    with open(os.path.join(FIXTURES, "hh-rlhf.jsonl")) as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                chosen, rejected = turns(row["chosen"]), turns(row["rejected"])
                prefs.append((json.dumps(chosen[:-1]), chosen[-1]["content"], rejected[-1]["content"]))
    return sorted(prefs)


@unittest.skipUnless(URL or os.environ.get("BORDA_REQUIRE_API"), "BORDA_URL is not set")
class ExternalFormatTest(unittest.TestCase):
    """An HH-RLHF fixture (gzipped) imports with its judgments and comes back in the TRL and OpenAI
    exports with the same prompts and preferences; judgments=False, as_gold, Parquet and the card."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="borda-client-formats-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.researcher = BordaClient(env("BORDA_URL"), env("BORDA_TOKEN"))

    def campaign(self, name):
        return self.researcher.create_campaign(name=name, budget=10)["id"]

    def test_import_formats_and_round_trip(self):
        cid = self.campaign("hh-rlhf from python")
        report = self.researcher.import_file(cid, os.path.join(FIXTURES, "hh-rlhf.jsonl.gz"), dry_run=True)
        self.assertEqual((report["valid"], report["format"], report["judgmentCount"]), (True, "hh-rlhf", 3))
        result = self.researcher.import_file(cid, os.path.join(FIXTURES, "hh-rlhf.jsonl.gz"), format="hh-rlhf")
        self.assertEqual((result["format"], result["promptCount"], result["judgmentCount"]), ("hh-rlhf", 3, 3))

        expected = hh_preferences()
        trl = self.researcher.export(cid, "trl-conversational", os.path.join(self.dir, "trl.jsonl"))
        with open(trl["path"]) as f:
            rows = [json.loads(line) for line in f]
        self.assertEqual(
            sorted((json.dumps(r["prompt"]), r["chosen"][0]["content"], r["rejected"][0]["content"]) for r in rows),
            expected,
        )
        openai = [
            (json.dumps(r["input"]["messages"]), r["preferred_output"][0]["content"], r["non_preferred_output"][0]["content"])
            for r in self.researcher.iter_export(cid, "openai")
        ]
        self.assertEqual(sorted(openai), expected)

        kto = list(self.researcher.iter_export(cid, "kto"))
        self.assertEqual(sorted(r["label"] for r in kto), [False] * 3 + [True] * 3)
        parquet = self.researcher.export(cid, "trl", os.path.join(self.dir, "trl.parquet"), file="parquet")
        with open(parquet["path"], "rb") as f:
            data = f.read()
        self.assertEqual((data[:4], data[-4:], parquet["lines"], parquet["bytes"]), (b"PAR1", b"PAR1", 0, len(data)))
        card_path = os.path.join(self.dir, "README.md")
        card = self.researcher.dataset_card(cid, "trl", path=card_path, file="parquet")
        self.assertIn("# hh-rlhf from python", card)
        with open(card_path, encoding="utf-8") as f:
            self.assertEqual(f.read(), card)

        bare = self.campaign("no judgments")
        skipped = self.researcher.import_file(bare, os.path.join(FIXTURES, "plain.jsonl"), judgments=False)
        self.assertEqual((skipped["format"], skipped["promptCount"], skipped["judgmentCount"]), ("plain", 3, 0))
        gold = self.campaign("as gold")
        golden = self.researcher.import_file(gold, os.path.join(FIXTURES, "binarized.parquet"), as_gold=True)
        self.assertEqual((golden["format"], golden["judgmentCount"]), ("binarized", 3))

        with self.assertRaises(BordaError) as bad:
            self.researcher.import_file(gold, os.path.join(FIXTURES, "plain.jsonl"), format="csv")
        self.assertEqual(bad.exception.code, "INVALID_ARGUMENT")
        with self.assertRaises(BordaError) as bad_file:
            self.researcher.export(gold, "trl", os.devnull, file="csv")
        self.assertEqual(bad_file.exception.code, "INVALID_ARGUMENT")


def _policy_or_none(client, campaign_id):
    try:
        return client.policy(campaign_id)
    except BordaError as error:
        if error.code == "NO_MODEL_YET":
            return None
        raise


@unittest.skipUnless(URL or os.environ.get("BORDA_REQUIRE_API"), "BORDA_URL is not set")
class AuthAndErrorsTest(unittest.TestCase):
    def test_login_then_api_token(self):
        client = BordaClient(env("BORDA_URL"))
        session = client.login(env("BORDA_EMAIL"), env("BORDA_PASSWORD"))
        self.assertEqual(session["user"]["email"], env("BORDA_EMAIL"))
        self.assertEqual(client.me()["role"], "researcher")
        created = client.create_token("python client test", expires_in_days=1)
        self.assertTrue(created["token"].startswith("borda_"))
        self.assertEqual(BordaClient(env("BORDA_URL"), created["token"]).me()["email"], env("BORDA_EMAIL"))

    def test_wrong_password_and_missing_token(self):
        with self.assertRaises(BordaError) as wrong:
            BordaClient(env("BORDA_URL")).login(env("BORDA_EMAIL"), "not the password")
        self.assertEqual((wrong.exception.status, wrong.exception.code), (401, "INVALID_CREDENTIALS"))
        with self.assertRaises(BordaError) as anonymous:
            BordaClient(env("BORDA_URL")).campaigns()
        self.assertEqual((anonymous.exception.status, anonymous.exception.code), (401, "UNAUTHENTICATED"))

    def test_api_errors_carry_code_message_and_details(self):
        client = BordaClient(env("BORDA_URL"), env("BORDA_TOKEN"))
        with self.assertRaises(BordaError) as invalid:
            client.create_campaign(name="x", budget=0)
        self.assertEqual((invalid.exception.status, invalid.exception.code), (400, "VALIDATION_FAILED"))
        self.assertIn("budget", invalid.exception.message + json.dumps(invalid.exception.details))
        with self.assertRaises(BordaError) as missing:
            client.campaign("00000000-0000-4000-8000-000000000000")
        self.assertEqual((missing.exception.status, missing.exception.code), (404, "NOT_FOUND"))
        with self.assertRaises(BordaError) as labeler:
            BordaClient(env("BORDA_URL"), env("BORDA_LABELER_TOKEN")).create_campaign(name="x", budget=10)
        self.assertEqual(labeler.exception.code, "FORBIDDEN")
        with self.assertRaises(BordaError) as bad_format:
            client.export("00000000-0000-4000-8000-000000000000", "csv", os.devnull)
        self.assertEqual((bad_format.exception.code, bad_format.exception.status), ("INVALID_ARGUMENT", None))

    def test_unreachable_api(self):
        with self.assertRaises(BordaError) as down:
            BordaClient("http://127.0.0.1:9", "borda_x", timeout=5).campaigns()
        self.assertEqual(down.exception.code, "CONNECTION_FAILED")


if __name__ == "__main__":
    unittest.main()
