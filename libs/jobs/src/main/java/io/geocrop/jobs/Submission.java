package io.geocrop.jobs;

/** The answer to {@link JobStore#submit}: the job, and whether this call created it. */
public record Submission(Job job, boolean created) {}
