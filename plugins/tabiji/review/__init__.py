"""Git and review: revisions, the semantic diff, CODEOWNERS, freshness, history."""
