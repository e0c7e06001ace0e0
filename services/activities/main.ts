import "reflect-metadata";
import { runFromEnvironment } from "../common/run";
import { activitiesService } from ".";

runFromEnvironment(activitiesService);
