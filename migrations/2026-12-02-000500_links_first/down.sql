DROP INDEX outbox_due_links_idx;
