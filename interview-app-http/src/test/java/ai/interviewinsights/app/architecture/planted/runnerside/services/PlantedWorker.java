package ai.interviewinsights.app.architecture.planted.runnerside.services;

/** Planted: a service class other than the factory (public here so that a runner can reach around the factory). */
public final class PlantedWorker implements Runnable {

    @Override
    public void run() {
    }
}
