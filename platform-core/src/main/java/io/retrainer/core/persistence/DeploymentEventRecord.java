package io.retrainer.core.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One change at an endpoint (activate, rollback), the deployment's history. */
@Entity
@Table(name = "deployment_event")
public class DeploymentEventRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String endpoint;
    @jakarta.persistence.Column(name = "model_name")
    public String modelName;
    @jakarta.persistence.Column(name = "model_version")
    public int modelVersion;
    public String action;
    public String message;
    public Instant at;
}
