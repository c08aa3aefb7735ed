-- Monitoring (issue 3): the prediction log, ground-truth feedback with its correction history,
-- per-endpoint log sampling, and snapshots of live quality for charts over time.

-- One row per logged prediction. A live prediction's id is the id returned to the client; a
-- shadow prediction (mirrored, never returned) gets an id of its own and keeps the live
-- prediction's id in request_id, so feedback on the live id labels both.
create table prediction (
    id              uuid primary key,
    request_id      uuid             not null,
    endpoint        text             not null,
    model_name      text             not null,
    model_version   integer          not null,
    slot            text             not null,
    shadow          boolean          not null,
    inputs          text             not null, -- JSON object: column -> value
    output          text             not null, -- JSON object: label, value, probabilities
    predicted_label text,                      -- null for regression
    predicted_value double precision,          -- regression value, or the predicted class's probability
    positive_class  text,                      -- binary classifiers: the class AUC scores (last in sort order)
    positive_score  double precision,          -- and its probability
    created_at      timestamptz      not null
);
create index prediction_endpoint_time_idx on prediction (endpoint, created_at);
create index prediction_created_idx on prediction (created_at);
create index prediction_shadow_request_idx on prediction (request_id) where shadow;

-- The current true label (or value, for regression) of a live prediction. Deleting a prediction
-- (retention) deletes its feedback.
create table feedback (
    prediction_id uuid primary key references prediction (id) on delete cascade,
    endpoint      text        not null,
    label         text,
    value         double precision,
    corrections   integer     not null default 0,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);
create index feedback_endpoint_time_idx on feedback (endpoint, created_at);

-- Every change of a prediction's feedback: the first label, then each correction with what it replaced.
create table feedback_event (
    id             bigserial primary key,
    prediction_id  uuid        not null references prediction (id) on delete cascade,
    kind           text        not null, -- label | correction
    label          text,
    value          double precision,
    previous_label text,
    previous_value double precision,
    at             timestamptz not null
);
create index feedback_event_prediction_idx on feedback_event (prediction_id, id);

-- Per-endpoint fraction of predictions logged (1.0 when absent).
create table prediction_log_setting (
    endpoint    text primary key,
    sample_rate double precision not null check (sample_rate >= 0 and sample_rate <= 1),
    updated_at  timestamptz      not null
);

-- Live quality over a sliding window, recorded at each refresh, for charts over time.
create table quality_snapshot (
    id             bigserial primary key,
    endpoint       text             not null,
    model_name     text             not null,
    model_version  integer          not null,
    slot           text             not null,
    metric         text             not null,
    value          double precision not null,
    labelled       bigint           not null,
    window_seconds bigint           not null,
    at             timestamptz      not null
);
create index quality_snapshot_endpoint_idx on quality_snapshot (endpoint, at);
create index quality_snapshot_at_idx on quality_snapshot (at);
