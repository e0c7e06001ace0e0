import "reflect-metadata";
import { runFromEnvironment } from "../common/run";
import { auditService } from ".";

runFromEnvironment(auditService);
