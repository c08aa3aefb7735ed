package io.retrainer.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A registered model version with its metrics, lineage and lifecycle stage. */
@Entity
@Table(name = "model_version")
public class ModelVersionRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "model_name")
    public String modelName;
    public int version;
    public String stage;
    public String format;
    @Column(name = "artifact_sha256")
    public String artifactSha256;
    @Column(name = "artifact_size")
    public long artifactSize;
    public String metrics;
    public String lineage;
    @Column(name = "input_schema")
    public String inputSchema;
    @Column(name = "training_schema")
    public String trainingSchema;
    @Column(name = "run_id")
    public Long runId;
    @Column(name = "pipeline_name")
    public String pipelineName;
    @Column(name = "stage_reason")
    public String stageReason;
    @Column(name = "created_at")
    public Instant createdAt;
}
