DROP INDEX ksb_statuses_progress_idx;
