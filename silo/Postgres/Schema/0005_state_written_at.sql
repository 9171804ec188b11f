-- A journal append moves only grain_state.version (see StateCommits), so updated_at is the time of the last whole write.
COMMENT ON COLUMN grain_state.updated_at IS
    'When the state was last written whole (for a journaled grain: its last snapshot); later entries carry their own grain_journal.recorded_at.';
