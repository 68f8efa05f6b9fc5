"""MentorNet qa: QA sampling, escalations, fairness audits, program health."""
