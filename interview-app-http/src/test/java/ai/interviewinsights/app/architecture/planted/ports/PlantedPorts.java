package ai.interviewinsights.app.architecture.planted.ports;

/** Planted: a record of every port, like {@code InterviewPorts}. */
record PlantedPorts(Runnable first, Runnable second) {
}
