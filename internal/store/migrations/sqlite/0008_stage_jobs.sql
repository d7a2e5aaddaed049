-- The River job that runs each stage, so a cancel can reach it through River and an
-- attempt can prove, when it completes, that the stage is still its own.
ALTER TABLE task_stages ADD COLUMN job_id BIGINT;
