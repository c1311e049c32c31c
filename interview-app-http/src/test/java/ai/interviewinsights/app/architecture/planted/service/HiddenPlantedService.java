package ai.interviewinsights.app.architecture.planted.service;

import ai.interviewinsights.app.architecture.planted.usecase.PlantedUseCase;

/** Planted: a package-private use-case implementation, as services should be. Must pass. */
final class HiddenPlantedService implements PlantedUseCase {

    @Override
    public void run() {
    }
}
