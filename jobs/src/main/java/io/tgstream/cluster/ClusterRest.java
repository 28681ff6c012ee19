package io.tgstream.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** What a test or a status command reads from the JobManager's REST API: TaskManagers, job state, task placement. */
public final class ClusterRest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    public ClusterRest(String host, int port) {
        this.base = URI.create("http://" + host + ":" + port + "/");
    }

    /** One vertex of a job graph: its id and name (the chained operators' names). */
    public record Vertex(String id, String name) {}

    /** The JSON at a REST path; empty if the endpoint cannot be reached or answers with an error. */
    public Optional<JsonNode> get(String path) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(json.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public boolean reachable() {
        return get("overview").isPresent();
    }

    /** The resource ids of the registered TaskManagers. */
    public TreeSet<String> taskManagers() {
        TreeSet<String> ids = new TreeSet<>();
        get("taskmanagers").ifPresent(n -> n.path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText())));
        return ids;
    }

    /** The job's state ({@code RUNNING}, {@code RESTARTING}, ...), or empty if unknown. */
    public Optional<String> jobState(String jobId) {
        return get("jobs/" + jobId).map(n -> n.path("state").asText());
    }

    public List<Vertex> vertices(String jobId) {
        List<Vertex> out = new ArrayList<>();
        get("jobs/" + jobId).ifPresent(n -> n.path("vertices")
                .forEach(v -> out.add(new Vertex(v.path("id").asText(), v.path("name").asText()))));
        return out;
    }

    /** True if the job is RUNNING and so is every one of its tasks (a restarted job runs again only then). */
    public boolean allTasksRunning(String jobId) {
        Optional<JsonNode> job = get("jobs/" + jobId);
        if (job.isEmpty() || !job.get().path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : job.get().path("vertices")) {
            JsonNode counts = v.path("tasks");
            int running = counts.path("RUNNING").asInt();
            if (running != v.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    /** Subtask index -> resource id of the TaskManager that runs it (the current attempt). */
    public Map<Integer, String> subtaskPlacement(String jobId, String vertexId) {
        Map<Integer, String> out = new TreeMap<>();
        get("jobs/" + jobId + "/vertices/" + vertexId).ifPresent(n -> n.path("subtasks").forEach(s ->
                out.put(s.path("subtask").asInt(), s.path("taskmanager-id").asText())));
        return out;
    }

    /** How many checkpoints of the job have completed, or -1 if unknown. */
    public long completedCheckpoints(String jobId) {
        return get("jobs/" + jobId + "/checkpoints").map(n -> n.path("counts").path("completed").asLong(-1))
                .orElse(-1L);
    }

    /** How many times the job has restarted (Flink's numRestarts), or -1 if unknown. */
    public long restarts(String jobId) {
        return get("jobs/" + jobId + "/metrics?get=numRestarts")
                .map(n -> n.size() > 0 ? n.get(0).path("value").asLong(-1) : -1L).orElse(-1L);
    }
}
