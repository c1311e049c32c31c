package ai.interviewinsights.app.architecture.planted.runnerside.runner;

import ai.interviewinsights.app.architecture.planted.runnerside.services.PlantedWorker;

/** Planted: the runner's side reaching a service around the factory. Must break the rule. */
final class GreedyPlantedRunner {

    void run() {
        new PlantedWorker().run();
    }
}
