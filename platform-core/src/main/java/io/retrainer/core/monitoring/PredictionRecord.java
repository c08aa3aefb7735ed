package io.retrainer.core.monitoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One logged prediction (table {@code prediction}); written in batches by {@link PredictionLog}. */
@Entity
@Table(name = "prediction")
public class PredictionRecord {
    @Id
    public UUID id;
    @Column(name = "request_id")
    public UUID requestId;
    public String endpoint;
    @Column(name = "model_name")
    public String modelName;
    @Column(name = "model_version")
    public int modelVersion;
    public String slot;
    public boolean shadow;
    public String inputs;
    public String output;
    @Column(name = "predicted_label")
    public String predictedLabel;
    @Column(name = "predicted_value")
    public Double predictedValue;
    @Column(name = "positive_class")
    public String positiveClass;
    @Column(name = "positive_score")
    public Double positiveScore;
    @Column(name = "created_at")
    public Instant createdAt;
}
