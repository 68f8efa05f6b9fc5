"""MentorNet benchmarks. Each compares against a bare baseline measured in the same run."""
