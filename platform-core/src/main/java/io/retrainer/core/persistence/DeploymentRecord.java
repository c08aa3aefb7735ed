package io.retrainer.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What serves at an endpoint now; read at start so the served model survives a restart. */
@Entity
@Table(name = "deployment")
public class DeploymentRecord {
    @Id
    public String endpoint;
    @Column(name = "model_name")
    public String modelName;
    @Column(name = "model_version")
    public Integer modelVersion;
    public String deployer;
    @Column(name = "pipeline_name")
    public String pipelineName;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "follow_model")
    public String followModel;
    @Column(name = "follow_alias")
    public String followAlias;
    @Column(name = "rollout_plan")
    public String rolloutPlan;
}
