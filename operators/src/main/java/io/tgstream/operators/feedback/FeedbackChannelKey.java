package io.tgstream.operators.feedback;

/**
 * Where tail subtask {@code i} and head subtask {@code i} of one loop meet in the JVM.
 *
 * <p>The attempt number is part of the key so that a restarted head never drains a queue that a
 * tail of the failed attempt still fills (DESIGN.md §3.5, lesson 4).
 */
record FeedbackChannelKey(String jobId, String loopId, int subtaskIndex, int attemptNumber) {}
