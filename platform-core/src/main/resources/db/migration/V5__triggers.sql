-- Triggers (issue 3): a data trigger remembers the source's change token it last acted on, so a
-- change made while the platform was down still fires once after the start, and only once.
alter table trigger_state add column last_token text;
