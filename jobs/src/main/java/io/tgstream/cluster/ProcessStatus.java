package io.tgstream.cluster;

import java.nio.file.Path;

/**
 * What {@code tgstream cluster status} says about one process: its role, whether it is alive, its pid (-1 if none was
 * recorded), the port it serves and what that port is for, and its log file.
 */
public record ProcessStatus(String role, boolean alive, long pid, String portName, int port, Path log) {}
