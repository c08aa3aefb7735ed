package io.retrainer.core.drift;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A model version's drift reference profile, stored as JSON. */
@Entity
@Table(name = "drift_profile")
public class DriftProfileRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "model_name")
    public String modelName;
    public int version;
    public String profile;
    @Column(name = "created_at")
    public Instant createdAt;
}
