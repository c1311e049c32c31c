package ai.interviewinsights.app.architecture.planted.ports;

/** Planted: a service that takes the record of every port though it uses one. Must break the rule. */
final class GreedyPlantedService {

    private final PlantedPorts ports;

    GreedyPlantedService(PlantedPorts ports) {
        this.ports = ports;
    }

    void run() {
        ports.first().run();
    }
}
