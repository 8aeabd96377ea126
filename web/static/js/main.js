// Entry point of every page: offline support, install, storage.
import { startServiceWorker } from "./sw-register.js";
import { offerInstall } from "./install.js";
import { askForPersistence, showStorage } from "./storage.js";

startServiceWorker().then((ready) => { if (ready) askForPersistence(); });
offerInstall(document.getElementById("install"), document.getElementById("ios-install"));

const storage = document.getElementById("storage");
if (storage) showStorage(storage);
