package ai.interviewinsights.app.architecture.planted.runnerside.runner;

import ai.interviewinsights.app.architecture.planted.runnerside.services.PlantedServices;

/** Planted: the runner's side calling the services through their factory, like {@code InProcessControlPlane}. */
public final class PlantedRunner {

    private final PlantedServices services;

    public PlantedRunner(PlantedServices services) {
        this.services = services;
    }

    public void run() {
        services.useCase().run();
    }
}
