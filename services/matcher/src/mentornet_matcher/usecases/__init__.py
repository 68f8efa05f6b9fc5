"""Matcher's use cases, between the routes and handlers and the pure domain:

- matchmaker.py: placing mentees (a batch run, or one newcomer), using
  pools.py (reading a program's pool), newcomers.py (what a newcomer's placement reads,
  kept for a moment) and proposals.py (a chosen pair into a proposal, or a waitlist
  entry);
- pairs.py: one pair at a time (a coordinator's chosen mentor, whether a pair still
  has time, why not another mentor);
- decisions.py: people deciding on proposals; rematch.py: ending matches that stopped
  working and placing the mentee again;
- coverage.py: skill gaps announced when they change; board.py: a program's board;
- followups.py: what each consumed event sets off once its read model is updated.
"""
