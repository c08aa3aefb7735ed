-- Retrainer schema, version 1. Every record of the loop lives here; JSON documents
-- (metrics, lineage, schemas) are kept as text written and read by the platform.

create table pipeline (
    id               bigserial primary key,
    name             text        not null unique,
    current_revision integer     not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create table pipeline_revision (
    id          bigserial primary key,
    pipeline_id bigint      not null references pipeline (id) on delete cascade,
    revision    integer     not null,
    source      text        not null,
    source_type text        not null,
    created_at  timestamptz not null,
    unique (pipeline_id, revision)
);

create table run (
    id               bigserial primary key,
    pipeline_id      bigint      not null references pipeline (id) on delete cascade,
    pipeline_name    text        not null,
    revision         integer     not null,
    status           text        not null,
    trigger_type     text        not null,
    trigger_reason   text        not null,
    error            text,
    seed             bigint      not null,
    cancel_requested boolean     not null default false,
    verdict          text,
    verdict_reason   text,
    model_name       text,
    model_version    integer,
    created_at       timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz
);
create index run_status_idx on run (status, id);
create index run_pipeline_idx on run (pipeline_id, id desc);

create table stage_run (
    id               bigserial primary key,
    run_id           bigint           not null references run (id) on delete cascade,
    position         integer          not null,
    name             text             not null,
    plugin           text,
    status           text             not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    metrics          text,
    log              text             not null default '',
    progress         double precision not null default 0,
    progress_message text,
    error            text,
    unique (run_id, position)
);

create table model_version (
    id              bigserial primary key,
    model_name      text        not null,
    version         integer     not null,
    stage           text        not null,
    format          text        not null,
    artifact_sha256 text        not null,
    artifact_size   bigint      not null,
    metrics         text        not null,
    lineage         text        not null,
    input_schema    text        not null,
    training_schema text        not null,
    run_id          bigint references run (id) on delete set null,
    pipeline_name   text,
    stage_reason    text,
    created_at      timestamptz not null,
    unique (model_name, version)
);
create index model_version_stage_idx on model_version (model_name, stage);

create table deployment (
    endpoint      text primary key,
    model_name    text,
    model_version integer,
    deployer      text        not null,
    pipeline_name text,
    updated_at    timestamptz not null
);

create table deployment_event (
    id            bigserial primary key,
    endpoint      text        not null,
    model_name    text        not null,
    model_version integer     not null,
    action        text        not null,
    message       text        not null,
    at            timestamptz not null
);
create index deployment_event_endpoint_idx on deployment_event (endpoint, id desc);

create table trigger_state (
    id           bigserial primary key,
    pipeline_id  bigint      not null references pipeline (id) on delete cascade,
    trigger_key  text        not null,
    last_fired_at timestamptz,
    last_reason  text,
    unique (pipeline_id, trigger_key)
);
