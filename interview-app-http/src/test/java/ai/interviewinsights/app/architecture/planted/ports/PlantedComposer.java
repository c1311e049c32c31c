package ai.interviewinsights.app.architecture.planted.ports;

/** Planted: the one class that may take the whole record (like {@code InterviewServices}). Must pass. */
final class PlantedComposer {

    final NarrowPlantedService narrow;

    PlantedComposer(PlantedPorts ports) {
        this.narrow = new NarrowPlantedService(ports.first());
    }
}
