package ai.interviewinsights.app.architecture.planted.runnerside.services;

import ai.interviewinsights.app.architecture.planted.runnerside.runner.PlantedRunner;

/** Planted: a service that knows the runner's side. Must break the rule. */
final class RunnerAwarePlantedService {

    private final PlantedRunner runner;

    RunnerAwarePlantedService(PlantedRunner runner) {
        this.runner = runner;
    }

    void run() {
        runner.run();
    }
}
