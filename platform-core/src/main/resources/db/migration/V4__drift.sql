-- Drift reference profiles: per registered model version, what its training inputs and its
-- outputs on reference rows looked like (quantile bins, category frequencies), as JSON written
-- and read by io.retrainer.core.drift. Live counts stay in memory.

create table drift_profile (
    id           bigserial primary key,
    model_name   text        not null,
    version      integer     not null,
    profile      text        not null,
    created_at   timestamptz not null,
    unique (model_name, version)
);
