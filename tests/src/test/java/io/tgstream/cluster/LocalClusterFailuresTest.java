package io.tgstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.model.MemoryModel;
import io.tgstream.stream.ParityFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job on a real local cluster: a Kafka broker, a JobManager and two TaskManagers, each its own JVM
 * ({@link LocalCluster}), the job submitted over REST at parallelism 2 with aligned checkpoints every 200 ms.
 *
 * <ul>
 *   <li>the feedback loop's head and tail subtask i run in the same TaskManager process, for every i, and the two
 *       subtasks run in different TaskManagers (read from the running job through the REST API);</li>
 *   <li>TaskManagers killed with SIGKILL mid-stream at seeded points (a replacement started each time): the committed
 *       (read_committed) scores equal the failure-free offline replay, each event exactly once;</li>
 *   <li>the broker killed with SIGKILL mid-stream and restarted on its port and data directory: the same.</li>
 * </ul>
 *
 * <p>The cluster's directory (logs of every process, thread dumps of a stalled job) is kept under the test's temp
 * directory ({@code tests/target/local-cluster-*}) for inspection.
 */
@Tag("heavy")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterFailuresTest {
    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterFailuresTest.class);
    static final int EVENTS = 3_000;
    static final int NODES = 150;
    static final int BATCH = 50;
    static final int PARALLELISM = 2;
    static final long CHECKPOINT_INTERVAL_MS = 200;
    static final int TASK_MANAGER_KILLS = 2;
    /** The same tolerance as the MiniCluster parity tests: float arithmetic in job and replay. */
    static final float TOLERANCE = 1e-5f;
    static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);
    static final Duration FINISH_TIMEOUT = Duration.ofMinutes(4);

    private Path dir;
    private LocalCluster cluster;
    private EdgeStream stream;
    private Path modelFile;
    private float[] expected;
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void startClusterAndTrain() throws Exception {
        dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("local-cluster-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        stream = ClusterTestFixture.stream(EVENTS, NODES, 41);
        modelFile = dir.resolve("model.tgm");
        MemoryModel model = ClusterTestFixture.model(stream, modelFile);
        expected = ClusterTestFixture.offlineScores(model, stream, BATCH);
        long t0 = System.nanoTime();
        cluster = ClusterTestFixture.startCluster(dir.resolve("cluster"), 2);
        LOG.info("local cluster started in {} ms in {}", (System.nanoTime() - t0) / 1_000_000, cluster.layout().dir());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
        // the figures of the run, beside the cluster's logs (the test log shows warnings only)
        try {
            Files.write(dir.resolve("report.txt"), report);
        } catch (IOException e) {
            LOG.warn("cannot write the report: {}", e.toString());
        }
        report.forEach(l -> System.out.println("local cluster: " + l));
    }

    private JobConfig job(String name) throws Exception {
        String servers = cluster.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(name + "-edges", 1, (short) 1),
                    new NewTopic(name + "-scores", PARALLELISM, (short) 1))).all().get();
        }
        return JobConfig.of(servers, name + "-edges", name + "-scores", modelFile.toString())
                .withBatchSize(BATCH).withParallelism(PARALLELISM)
                .withCheckpoints(CHECKPOINT_INTERVAL_MS, cluster.layout().checkpoints().toUri().toString())
                .withTransactionalIdPrefix("cluster-" + name);
    }

    private String awaitAllTasksRunning(JobClient job) throws InterruptedException {
        String id = job.getJobID().toString();
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (!cluster.rest().allTasksRunning(id)) {
            assertThat(System.nanoTime()).as("job %s: all tasks RUNNING within %s", id, RECOVERY_TIMEOUT)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        return id;
    }

    /** Head and tail subtask i share a TaskManager for every i; returns subtask -> TaskManager of the head. */
    private Map<Integer, String> assertCoLocated(String jobId) {
        ClusterRest rest = cluster.rest();
        List<ClusterRest.Vertex> vertices = rest.vertices(jobId);
        ClusterRest.Vertex head = vertices.stream().filter(v -> v.name().contains("FeedbackHead[")).findFirst()
                .orElseThrow(() -> new AssertionError("no FeedbackHead vertex in " + vertices));
        ClusterRest.Vertex tail = vertices.stream().filter(v -> v.name().contains("FeedbackTail[")).findFirst()
                .orElseThrow(() -> new AssertionError("no FeedbackTail vertex in " + vertices));
        Map<Integer, String> heads = rest.subtaskPlacement(jobId, head.id());
        Map<Integer, String> tails = rest.subtaskPlacement(jobId, tail.id());
        assertThat(heads).as("head subtasks").hasSize(PARALLELISM);
        assertThat(tails).as("head subtask -> TaskManager equals tail subtask -> TaskManager").isEqualTo(heads);
        assertThat(heads.values()).as("TaskManagers of the head subtasks").allMatch(tm -> tm.startsWith(
                LocalCluster.TASKMANAGER_PREFIX));
        return heads;
    }

    @Test
    @Order(1)
    void headAndTailOfEachSubtaskShareATaskManagerAndTheSubtasksSpreadOverBoth() throws Exception {
        JobConfig c = job("placement");
        JobClient job = ClusterSubmission.submit(LocalFlinkConfig.HOST, cluster.restPort(), c);
        try {
            String id = awaitAllTasksRunning(job);
            Map<Integer, String> placement = assertCoLocated(id);
            report.add("placement: head = tail TaskManager per subtask: " + placement);
            assertThat(new HashSet<>(placement.values())).as("the %d subtasks run in different TaskManagers: %s",
                    PARALLELISM, placement).hasSize(PARALLELISM);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(2)
    void killedTaskManagersChangeNoCommittedScore() throws Exception {
        JobConfig c = job("tmkill");
        JobClient job = ClusterSubmission.submit(LocalFlinkConfig.HOST, cluster.restPort(), c);
        String id = awaitAllTasksRunning(job);
        SplittableRandom schedule = new SplittableRandom(7);
        try {
            ParityFixture.publishAll(c.bootstrapServers(), c.inputTopic(), stream);
            int kills = 0;
            int seen = 0;
            for (int k = 0; k < TASK_MANAGER_KILLS; k++) {
                int at = seen + 300 + schedule.nextInt(600);
                seen = ParityFixture.awaitScores(c.bootstrapServers(), c.scoresTopic(), at, RECOVERY_TIMEOUT)
                        .size();
                if (seen >= EVENTS) {
                    break;
                }
                // the TaskManager of the head subtask k % 2: a loop with batches open and feedback in flight
                String victim = assertCoLocated(id).get(k % PARALLELISM);
                long restarts = cluster.rest().restarts(id);
                long inProgress = cluster.rest().get("jobs/" + id + "/checkpoints")
                        .map(n -> n.path("counts").path("in_progress").asLong()).orElse(-1L);
                long killedAt = System.nanoTime();
                cluster.kill(victim);
                // the replacement starts while the recovery is timed (it takes seconds to register)
                CompletableFuture<String> replacement = CompletableFuture.supplyAsync(cluster::startTaskManager);
                kills++;
                Recovery r = awaitRestart(id, c, restarts, seen, killedAt);
                report.add(String.format("TaskManager kill %d: SIGKILL %s after %d committed scores (checkpoints in"
                        + " progress: %d), replacement %s started; kill -> first further committed score %d ms (may"
                        + " be the commit of a checkpoint completed before the kill), kill -> all tasks RUNNING again"
                        + " %d ms, kill -> first score committed by the restarted job %d ms; restarts %d -> %d", kills,
                        victim, seen, inProgress, replacement.get(2, TimeUnit.MINUTES), r.firstCommitMs(), r.runningMs(),
                        r.commitAfterRunningMs(), restarts, r.restarts()));
                if (r.runningMs() < 0 || r.commitAfterRunningMs() < 0) {
                    collectEvidence("tmkill-" + kills, id);
                }
                assertThat(r.runningMs()).as("kill %d: the job runs again", kills).isNotNegative();
                assertThat(Files.readString(cluster.process(victim).log()))
                        .as("%s was killed outright (SIGKILL), without Flink's SIGTERM shutdown", victim)
                        .doesNotContain("RECEIVED SIGNAL");
                assertCoLocated(id);
            }
            assertThat(kills).as("TaskManagers killed mid-stream").isGreaterThanOrEqualTo(1);
            assertAllScoresMatch(c, id, "TaskManager kills: " + kills);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void aKilledAndRestartedBrokerChangesNoCommittedScore() throws Exception {
        JobConfig c = job("brokerkill");
        JobClient job = ClusterSubmission.submit(LocalFlinkConfig.HOST, cluster.restPort(), c);
        String id = awaitAllTasksRunning(job);
        SplittableRandom schedule = new SplittableRandom(13);
        try {
            ParityFixture.publishAll(c.bootstrapServers(), c.inputTopic(), stream);
            int at = 300 + schedule.nextInt(900);
            int seen = ParityFixture.awaitScores(c.bootstrapServers(), c.scoresTopic(), at, RECOVERY_TIMEOUT)
                    .size();
            assertThat(seen).as("the broker is killed mid-stream").isLessThan(EVENTS);
            long restarts = cluster.rest().restarts(id);
            long killedAt = System.nanoTime();
            cluster.kill(LocalCluster.KAFKA);
            Thread.sleep(2_000);
            cluster.startBroker();
            long back = (System.nanoTime() - killedAt) / 1_000_000;
            long committed = awaitFurtherCommit(c, seen, killedAt);
            long restartsAfter = cluster.rest().restarts(id);
            report.add(String.format("broker kill: SIGKILL after %d committed scores, restarted after a 2 s pause on the"
                    + " same port and data directory (serving again %d ms after the kill); kill -> next committed score"
                    + " %d ms; job restarts %d -> %d, job state now %s", seen, back, committed, restarts,
                    restartsAfter, cluster.rest().jobState(id).orElse("?")));
            if (committed < 0) {
                collectEvidence("brokerkill", id);
            }
            assertAllScoresMatch(c, id, "broker kills: 1");
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Milliseconds from a kill to: the first further committed score, the job running again (every task RUNNING after
     * a restart), and the first score committed after that; and the job's restart count then. -1: not within
     * {@link #RECOVERY_TIMEOUT}.
     */
    record Recovery(long firstCommitMs, long runningMs, long commitAfterRunningMs, long restarts) {}

    private Recovery awaitRestart(String id, JobConfig c, long restartsBefore, int committedBefore, long killedAt)
            throws InterruptedException {
        long first = -1;
        long running = -1;
        long after = -1;
        int countAtRunning = Integer.MAX_VALUE;
        boolean left = false;
        long deadline = killedAt + RECOVERY_TIMEOUT.toNanos();
        ClusterRest rest = cluster.rest();
        while (after < 0 && System.nanoTime() < deadline) {
            int count = ParityFixture.committedScores(c.bootstrapServers(), c.scoresTopic()).size();
            long now = (System.nanoTime() - killedAt) / 1_000_000;
            if (first < 0 && count > committedBefore) {
                first = now;
            }
            if (running < 0) {
                left |= rest.restarts(id) > restartsBefore || !rest.jobState(id).orElse("").equals("RUNNING");
                if (left && rest.allTasksRunning(id)) {
                    running = (System.nanoTime() - killedAt) / 1_000_000;
                    countAtRunning = ParityFixture.committedScores(c.bootstrapServers(), c.scoresTopic()).size();
                }
            } else if (count > countAtRunning || count >= EVENTS) {
                after = now;
            }
            Thread.sleep(100);
        }
        return new Recovery(first, running, after, rest.restarts(id));
    }

    /** Milliseconds from a kill until more than {@code committedBefore} scores are committed; -1 if not in time. */
    private long awaitFurtherCommit(JobConfig c, int committedBefore, long killedAt) throws InterruptedException {
        long deadline = killedAt + RECOVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (ParityFixture.committedScores(c.bootstrapServers(), c.scoresTopic()).size() > committedBefore) {
                    return (System.nanoTime() - killedAt) / 1_000_000;
                }
            } catch (RuntimeException e) {
                // the broker is not serving yet
            }
            Thread.sleep(100);
        }
        return -1;
    }

    private void assertAllScoresMatch(JobConfig c, String id, String what) throws Exception {
        Map<Long, ScoreRecord> scores =
                ParityFixture.awaitScores(c.bootstrapServers(), c.scoresTopic(), EVENTS, FINISH_TIMEOUT);
        if (scores.size() < EVENTS) {
            collectEvidence(c.scoresTopic() + "-final", id);
        }
        assertThat(scores).as("%s: every event scored and committed once", what).hasSize(EVENTS);
        float largest = 0;
        for (int e = 0; e < EVENTS; e++) {
            ScoreRecord s = scores.get((long) e);
            assertThat(s).as("score of event %d", e).isNotNull();
            assertThat(s.batch()).as("batch of event %d", e).isEqualTo(e / BATCH);
            float d = Math.abs(s.score() - expected[e]);
            largest = Math.max(largest, d);
            assertThat(d).as("event %d: |cluster - offline|", e).isLessThanOrEqualTo(TOLERANCE);
        }
        report.add(String.format("%s; %d committed scores compared with the offline replay, each exactly once; largest"
                + " difference %.3g; restarts %d; completed checkpoints %d", what, EVENTS, largest,
                cluster.rest().restarts(id), cluster.rest().completedCheckpoints(id)));
    }

    /** Job state, checkpoint counts and a thread dump of every live TaskManager, into the cluster's directory. */
    private void collectEvidence(String label, String jobId) {
        Path out = cluster.layout().dir().resolve("evidence-" + label);
        try {
            Files.createDirectories(out);
            ClusterRest rest = cluster.rest();
            Files.writeString(out.resolve("job.json"), rest.get("jobs/" + jobId).map(Object::toString).orElse("?"));
            Files.writeString(out.resolve("checkpoints.json"),
                    rest.get("jobs/" + jobId + "/checkpoints").map(Object::toString).orElse("?"));
            Files.writeString(out.resolve("exceptions.json"),
                    rest.get("jobs/" + jobId + "/exceptions").map(Object::toString).orElse("?"));
            for (ClusterProcess p : cluster.processes()) {
                Optional<ProcessHandle> h = p.handle();
                if (h.isPresent() && p.role().startsWith(LocalCluster.TASKMANAGER_PREFIX)) {
                    Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
                    new ProcessBuilder(jstack.toString(), Long.toString(h.get().pid()))
                            .redirectOutput(out.resolve(p.role() + ".jstack").toFile()).redirectErrorStream(true)
                            .start().waitFor(60, TimeUnit.SECONDS);
                }
            }
            LOG.warn("evidence of {} in {}", label, out);
        } catch (IOException e) {
            LOG.warn("cannot collect evidence into {}: {}", out, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
