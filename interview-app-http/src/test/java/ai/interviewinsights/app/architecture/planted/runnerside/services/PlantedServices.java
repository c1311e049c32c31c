package ai.interviewinsights.app.architecture.planted.runnerside.services;

/** Planted: the services' one public factory, like {@code InterviewServices}. */
public final class PlantedServices {

    public Runnable useCase() {
        return new PlantedWorker();
    }
}
