// @ts-check
// One exercise's page: its start and end poses.
import { fillPoses } from "../workout/pose-svg.js";

fillPoses(document);
