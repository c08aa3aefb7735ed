package io.retrainer.core.monitoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The current true label or value of a live prediction (table {@code feedback}). */
@Entity
@Table(name = "feedback")
public class FeedbackRecord {
    @Id
    @Column(name = "prediction_id")
    public UUID predictionId;
    public String endpoint;
    public String label;
    public Double value;
    public int corrections;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
