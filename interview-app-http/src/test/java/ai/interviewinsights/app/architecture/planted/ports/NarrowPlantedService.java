package ai.interviewinsights.app.architecture.planted.ports;

/** Planted: a service built with the one port it uses. Must pass. */
final class NarrowPlantedService {

    private final Runnable first;

    NarrowPlantedService(Runnable first) {
        this.first = first;
    }

    void run() {
        first.run();
    }
}
