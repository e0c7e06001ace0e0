import "reflect-metadata";
import { runFromEnvironment } from "../common/run";
import { partnershipsService } from ".";

runFromEnvironment(partnershipsService);
