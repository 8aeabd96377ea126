// @ts-check
// The guided workout.
import { startWorkoutPage } from "../workout/workout-page.js";

startWorkoutPage(/** @type {HTMLElement} */ (document.getElementById("main")));
