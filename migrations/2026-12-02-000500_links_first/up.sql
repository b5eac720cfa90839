-- The worker claims the links people are waiting for (a sign-in link they asked for, a link to
-- set their password) before any notification, so a burst of notifications delivered at the
-- busy pace does not hold them back. This index finds them without walking the burst.
CREATE INDEX outbox_due_links_idx ON outbox (next_attempt_at, id)
    WHERE status = 'pending' AND delivery = 'immediate'
      AND kind IN ('sign_in_link', 'password_link');
