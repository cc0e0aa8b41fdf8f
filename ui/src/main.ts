import "./styles/tokens.css";
import "./styles/base.css";

import { mount } from "svelte";
import App from "./App.svelte";
import { initLocale } from "./i18n";

initLocale();

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

mount(App, { target });
