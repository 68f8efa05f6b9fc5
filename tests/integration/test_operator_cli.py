"""The operator CLI on the real broker: `mentornet events tail|trace` and
`mentornet dlq list|show|replay`, reading without a consumer group."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from mentornet_contracts import Envelope, Event, KafkaRecord, dlq, encode, new_envelope
from mentornet_contracts.catalogue import MATCHES, PARTICIPANTS, REGISTRY
from mentornet_contracts.events.matches import Decider, MatchAccepted, MatchProposed
from mentornet_contracts.events.participants import GoalsUpdated, MenteeRegistered
from mentornet_contracts.registry import dlq_topic
from mentornet_tooling.cli import main
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import all_records, header, produce_record

from tests.support.events import person, program, publish

pytestmark = pytest.mark.integration

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


async def mentornet(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = await asyncio.to_thread(main, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def kafka(stack: Endpoints) -> tuple[str, str]:
    return ("--bootstrap-servers", stack.bootstrap_servers)


async def emit(stack: Endpoints, *envelopes: Envelope[Event]) -> list[KafkaRecord]:
    records = [encode(envelope, REGISTRY) for envelope in envelopes]
    for record in records:
        await produce_record(stack.bootstrap_servers, record)
    return records


def lines_of(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def registered(mentee: str, program_id: str) -> Envelope[Event]:
    return new_envelope(person(MenteeRegistered, mentee, program_id), "intake")


async def test_tail_from_the_beginning_shows_exactly_the_subjects_events_with_headers(
    stack: Endpoints, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    program_id, mentee = f"prog-{unique}", f"mentee-{unique}"
    await publish(
        stack, program(program_id), person(MenteeRegistered, f"other-{unique}", program_id)
    )
    first = registered(mentee, program_id)
    second = new_envelope(GoalsUpdated(participant_id=mentee, goals=()), "intake", caused_by=first)
    records = await emit(stack, first, second)

    args = ("events", "tail", *kafka(stack), "--from-beginning", "--json", "--subject", mentee)
    code, out, _ = await mentornet(capsys, *args, "--timeout", "3")

    assert code == 0
    seen = lines_of(out)
    assert [{k: v for k, v in r.items() if k not in ("partition", "offset")} for r in seen] == [
        {
            "topic": PARTICIPANTS.name,
            "key": mentee,
            "headers": record.header_dict(),
            "payload": json.loads(record.value),
        }
        for record in records
    ]
    assert seen[0]["partition"] == seen[1]["partition"]
    assert seen[0]["offset"] < seen[1]["offset"]
    assert lines_of(out)[0]["headers"]["ce_type"] == "mentornet.mentee.registered.v2"
    limited = await mentornet(capsys, *args, "--limit", "1", "--timeout", "8")
    assert limited[0] == 0
    assert lines_of(limited[1]) == lines_of(out)[:1]


async def test_tail_filters_by_short_and_full_type_names(
    stack: Endpoints, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    program_id, mentee = f"prog-{unique}", f"mentee-{unique}"
    first = registered(mentee, program_id)
    goals = new_envelope(GoalsUpdated(participant_id=mentee, goals=()), "intake", caused_by=first)
    await emit(stack, first, goals)
    args = ("events", "tail", *kafka(stack), "--from-beginning", "--json", "--subject", mentee)

    short = await mentornet(capsys, *args, "--type", "goals.updated", "--timeout", "2")
    full = await mentornet(
        capsys, *args, "--type", "mentornet.mentee.registered.v2", "--limit", "1"
    )
    typo = await mentornet(capsys, *args, "--type", "goal.updated", "--timeout", "1")

    assert [r["headers"]["ce_id"] for r in lines_of(short[1])] == [goals.id]
    assert [r["headers"]["ce_id"] for r in lines_of(full[1])] == [first.id]
    assert (typo[0], typo[1]) == (0, "")
    assert "no known event type matches 'goal.updated'" in typo[2]


async def _groups(stack: Endpoints) -> list[Any]:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers)
    await admin.start()
    try:
        return sorted(await admin.list_consumer_groups())
    finally:
        await admin.close()


async def test_tail_commits_nothing_and_follows_from_the_end(
    stack: Endpoints, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    program_id, mentee = f"prog-{unique}", f"mentee-{unique}"
    before = registered(mentee, program_id)
    await emit(stack, before)
    groups = await _groups(stack)
    args = ("events", "tail", *kafka(stack), "--json", "--subject", mentee)
    again = ("--from-beginning", "--limit", "1", "--timeout", "8")

    runs = [await mentornet(capsys, *args, *again) for _ in range(2)]
    follower = asyncio.create_task(
        asyncio.to_thread(main, [*args, "--limit", "1", "--timeout", "8"])
    )
    out, err = "", ""
    while "from the end" not in err and not follower.done():
        await asyncio.sleep(0.05)
        captured = capsys.readouterr()
        out, err = out + captured.out, err + captured.err
    after = new_envelope(GoalsUpdated(participant_id=mentee, goals=()), "intake", caused_by=before)
    await emit(stack, after)
    assert await follower == 0

    assert runs[0] == runs[1]
    assert [r["headers"]["ce_id"] for r in lines_of(runs[0][1])] == [before.id]
    out += capsys.readouterr().out
    assert [r["headers"]["ce_id"] for r in lines_of(out)] == [after.id]
    assert await _groups(stack) == groups


def _chain(unique: str) -> tuple[Envelope[Event], ...]:
    """registered -> proposed -> accepted, and registered -> goals.updated."""
    mentee, program_id, match_id = f"mentee-{unique}", f"prog-{unique}", f"match-{unique}"
    root = replace(registered(mentee, program_id), time=T0)
    proposed = MatchProposed(
        match_id=match_id,
        mentee_id=mentee,
        mentor_id=f"mentor-{unique}",
        program_id=program_id,
        score=0.8,
        explanation=(),
    )
    child = replace(new_envelope(proposed, "matcher", caused_by=root), time=T0 + timedelta(1))
    sibling = new_envelope(GoalsUpdated(participant_id=mentee, goals=()), "intake", caused_by=root)
    accepted = MatchAccepted(match_id=match_id, mentee_id=mentee, by=Decider.MENTOR)
    grandchild = new_envelope(accepted, "matcher", caused_by=child)
    return (
        root,
        child,
        replace(sibling, time=T0 + timedelta(2)),
        replace(grandchild, time=T0 + timedelta(3)),
    )


async def test_trace_prints_the_causation_tree(
    stack: Endpoints, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root, child, sibling, grandchild = _chain(unique)
    await emit(stack, grandchild, sibling, child, root)  # effects first: order comes from ids
    mentee = f"mentee-{unique}"

    code, out, _ = await mentornet(capsys, "events", "trace", root.correlation_id, *kafka(stack))
    as_json = await mentornet(
        capsys, "events", "trace", root.correlation_id, "--json", *kafka(stack)
    )
    missing = await mentornet(capsys, "events", "trace", f"nothing-{unique}", *kafka(stack))

    assert code == 0
    assert out.splitlines() == [
        f"correlation {root.correlation_id}: 4 events",
        f"2027-03-01T09:00:00.000000Z  intake     mentornet.mentee.registered.v2  {mentee}",
        f"├─ 2027-03-02T09:00:00.000000Z  matcher    mentornet.match.proposed.v2  {mentee}",
        f"│  └─ 2027-03-04T09:00:00.000000Z  matcher    mentornet.match.accepted.v1  {mentee}",
        f"└─ 2027-03-03T09:00:00.000000Z  intake     mentornet.goals.updated.v2  {mentee}",
    ]
    tree = json.loads(as_json[1])["roots"]
    assert [n["id"] for n in tree] == [root.id]
    assert [n["id"] for n in tree[0]["children"]] == [child.id, sibling.id]
    assert [n["id"] for n in tree[0]["children"][0]["children"]] == [grandchild.id]
    assert tree[0]["children"][0]["topic"] == MATCHES.name
    assert missing[0] == 1
    assert f"no event has correlation id 'nothing-{unique}'" in missing[2]


async def dead_letter(stack: Endpoints, record: KafkaRecord, unique: str) -> int:
    """A record as the matcher's DeadLetters writes it; returns its DLQ offset."""
    extra = {
        dlq.REASON: "handler_error",
        dlq.ERROR_TYPE: "RuntimeError",
        dlq.ERROR_MESSAGE: f"boom {unique} " + "x" * 100,
        dlq.ATTEMPTS: "5",
        dlq.ORIGIN_TOPIC: record.topic,
        dlq.ORIGIN_PARTITION: "4",
        dlq.ORIGIN_OFFSET: "17",
        dlq.SERVICE: "matcher",
        dlq.FAILED_AT: "2027-03-01T09:00:00.000000Z",
    }
    headers = [*record.headers, *((name, value.encode()) for name, value in extra.items())]
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        sent = await producer.send_and_wait(
            dlq_topic("matcher").name, value=record.value, key=record.key, headers=headers
        )
    finally:
        await producer.stop()
    return int(sent.offset)


async def test_dlq_list_and_show_name_the_reason_and_origin(
    stack: Endpoints, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    envelope = registered(f"mentee-{unique}", f"prog-{unique}")
    record = encode(envelope, REGISTRY)
    offset = await dead_letter(stack, record, unique)

    code, out, _ = await mentornet(capsys, "dlq", "list", "--service", "matcher", *kafka(stack))
    shown = await mentornet(capsys, "dlq", "show", "matcher", str(offset), *kafka(stack))
    absent = await mentornet(capsys, "dlq", "show", "matcher", str(offset + 10_000), *kafka(stack))

    assert code == 0
    header_row, *rows = out.splitlines()
    assert header_row.split()[:4] == ["SERVICE", "OFFSET", "REASON", "TYPE"]
    ours = [r.split() for r in rows if unique in r]
    assert ours == [
        [
            "matcher",
            str(offset),
            "handler_error",
            "mentornet.mentee.registered.v2",
            f"{PARTICIPANTS.name}/4@17",
            "2027-03-01T09:00:00.000000Z",
            "boom",
            f"{unique}",
            "x" * (60 - len(f"boom {unique} ") - 1) + "…",
        ]
    ]
    assert shown[0] == 0
    for name, value in record.headers:
        assert f"  {name}: {value.decode()}\n" in shown[1]
    assert "  dlq_reason: handler_error\n" in shown[1]
    assert f'"participant_id": "mentee-{unique}"' in shown[1]
    assert absent[0] == 1


async def test_dlq_replay_puts_the_original_back_and_dry_run_produces_nothing(
    stack: Endpoints, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    envelope = registered(f"mentee-{unique}", f"prog-{unique}")
    record = encode(envelope, REGISTRY)
    offset = await dead_letter(stack, record, unique)

    def replayed(r: Any) -> bool:
        return header(r, "ce_id") == envelope.id

    replay = ("dlq", "replay", "matcher", *kafka(stack))
    dry = await mentornet(capsys, *replay, str(offset), "--dry-run")
    dry_all = await mentornet(capsys, *replay, "--all", "--reason", "handler_error", "--dry-run")
    assert await all_records(stack.bootstrap_servers, PARTICIPANTS.name, replayed) == []
    done = await mentornet(capsys, *replay, str(offset))
    back = await all_records(stack.bootstrap_servers, PARTICIPANTS.name, replayed)

    assert dry[0] == 0
    assert dry[1].startswith(f"would replay {dlq_topic('matcher').name}/0@{offset} ")
    assert f"/0@{offset} (mentornet.mentee.registered.v2, id {envelope.id})" in dry_all[1]
    assert done[0] == 0
    assert done[1].startswith(f"replayed {dlq_topic('matcher').name}/0@{offset} ")
    assert len(back) == 1
    assert (back[0].key, back[0].value) == (record.key, record.value)
    assert [(name, bytes(value)) for name, value in back[0].headers] == list(record.headers)
    assert f"-> {PARTICIPANTS.name}/{back[0].partition}@{back[0].offset}" in done[1]

    planned = await mentornet(capsys, *replay, str(offset), "--dry-run", "--json")
    again = await mentornet(capsys, *replay, str(offset), "--json")
    twice = await all_records(stack.bootstrap_servers, PARTICIPANTS.name, replayed)
    assert (planned[0], again[0]) == (0, 0)
    source = {"topic": dlq_topic("matcher").name, "partition": 0, "offset": offset}
    assert json.loads(planned[1]) == {
        "from": source,
        "type": "mentornet.mentee.registered.v2",
        "id": envelope.id,
        "to": {"topic": PARTICIPANTS.name},
        "dry_run": True,
    }
    [sent] = map(json.loads, again[1].splitlines())
    assert (sent["from"], sent["dry_run"]) == (source, False)
    assert len(twice) == 2
    assert sent["to"] == {
        "topic": PARTICIPANTS.name,
        "partition": twice[1].partition,
        "offset": twice[1].offset,
    }
