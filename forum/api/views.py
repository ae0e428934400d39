"""API views (to be written: auth, me, cohorts, members, boards, threads, posts)."""
