package ai.interviewinsights.app.architecture.planted.service;

import ai.interviewinsights.app.architecture.planted.usecase.PlantedUseCase;

/** Planted: a public use-case implementation not named {@code ...Service} (the InterviewRunner shape). Must fail. */
public final class PublicPlantedRunner implements PlantedUseCase {

    @Override
    public void run() {
    }
}
