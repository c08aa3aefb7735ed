package io.retrainer.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One saved version of a pipeline definition, kept verbatim (YAML or JSON) for export. */
@Entity
@Table(name = "pipeline_revision")
public class PipelineRevisionRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "pipeline_id")
    public Long pipelineId;
    public int revision;
    public String source;
    @Column(name = "source_type")
    public String sourceType;
    @Column(name = "created_at")
    public Instant createdAt;
}
