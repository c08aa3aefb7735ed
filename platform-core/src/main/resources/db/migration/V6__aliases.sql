-- Named aliases on model versions (champion, challenger, ...), and endpoints that follow one.
create table model_alias (
    model_name text        not null,
    alias      text        not null,
    version    integer     not null,
    updated_at timestamptz not null,
    primary key (model_name, alias)
);

alter table deployment add column follow_model text;
alter table deployment add column follow_alias text;
-- The rollout plan of the endpoint's last deployment, reused when a followed alias moves.
alter table deployment add column rollout_plan text;
