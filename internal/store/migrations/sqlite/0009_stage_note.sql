-- What a stage wants its owner to know about how it went, such as a fallback taken
-- ("built-in writer (LLM timed out)"); empty for most stages.
ALTER TABLE task_stages ADD COLUMN note TEXT NOT NULL DEFAULT '';
