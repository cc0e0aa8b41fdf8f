// Español.

import type { Catalogue } from "../types";

export const es: Catalogue = {
  "app.name": "Commonplace",

  "nav.label": "Secciones",
  "nav.library": "Biblioteca",
  "nav.collections": "Colecciones",
  "nav.conversations": "Conversaciones",
  "nav.settings": "Ajustes",
  "window.title": "{section} – Commonplace",

  "common.comingSoon": "Próximamente",
  "common.dismiss": "Cerrar",
  "common.loading": "Cargando…",
  "notices.label": "Notificaciones",

  "loading.library": "Abriendo tu biblioteca…",

  "startup.retry": "Reintentar",
  "startup.retrying": "Reintentando…",
  "startup.details": "Detalles",
  "startup.errorCode": "Código: {kind}",
  "startup.logFile": "Archivo de registro",
  "startup.closeOtherInstance.title": "Esta biblioteca ya está abierta",
  "startup.closeOtherInstance.body":
    "Otra ventana de Commonplace está usando esta biblioteca. Solo una ventana puede usarla a la vez, para que no se sobrescriba nada.",
  "startup.closeOtherInstance.step1": "Cierra la otra ventana de Commonplace y elige «Reintentar».",
  "startup.closeOtherInstance.step2": "O inicia Commonplace con otra carpeta de biblioteca.",
  "startup.checkFolder.title": "Commonplace no puede abrir la carpeta de tu biblioteca",
  "startup.checkFolder.body":
    "Puede que la carpeta se haya movido, que esté en una unidad desconectada o que no permita a Commonplace hacer cambios.",
  "startup.checkFolder.step1":
    "Comprueba que la unidad esté conectada y que puedes abrir la carpeta de la biblioteca.",
  "startup.checkFolder.step2": "Después, elige «Reintentar».",
  "startup.tryAgain.title": "Commonplace no ha podido abrir tu biblioteca",
  "startup.tryAgain.body": "Ha ocurrido algo inesperado al abrirla.",
  "startup.tryAgain.step1": "Elige «Reintentar», o cierra Commonplace y vuelve a abrirlo.",
  "startup.tryAgain.step2":
    "Si sigue pasando, envía el archivo de registro a quien te ayude con el equipo.",

  "library.title": "Biblioteca",
  "library.empty.title": "Tu biblioteca está vacía",
  "library.empty.body":
    "Añade las fichas, presentaciones, PDF y páginas web con los que das clase. Todo se queda en este equipo y funciona sin conexión.",
  "library.empty.stepsHeading": "Primeros pasos",
  "library.empty.importTitle": "Importa archivos o una carpeta entera",
  "library.empty.importBody":
    "Commonplace guarda su propia copia de cada archivo, así que tus originales nunca se modifican.",
  "library.empty.dragTitle": "Arrastra archivos a esta ventana",
  "library.empty.dragBody": "Suelta documentos directamente desde tu explorador de archivos.",
  "library.empty.licenceTitle": "Comprueba la licencia de un recurso antes de compartirlo",
  "library.empty.licenceBody":
    "Cada recurso muestra lo que su licencia te permite: usarlo, adaptarlo, compartirlo.",
  "library.importFiles": "Importar archivos…",
  "library.importFolder": "Importar una carpeta…",
  "library.importUnavailable": "La importación llega en la próxima versión.",
  "library.resourceCount": {
    one: "{count} recurso",
    many: "{count} de recursos",
    other: "{count} recursos",
  },
  "library.listComingSoon": "Explorar y buscar tus recursos llega en la próxima versión.",

  "collections.title": "Colecciones",
  "collections.empty.title": "Aún no hay colecciones",
  "collections.empty.body":
    "Una colección reúne recursos para un curso, una unidad o un tema, como «Ecología, unidad 3» o «Bienvenida al nuevo profesorado». Un recurso puede estar en varias colecciones, y una colección se puede compartir con colegas.",
  "collections.empty.note": "Las colecciones llegarán junto con la importación.",

  "conversations.title": "Conversaciones",
  "conversations.empty.title": "Aún no hay conversaciones",
  "conversations.empty.body":
    "Escribe a tus colegas y envíales recursos. Las conversaciones están cifradas de extremo a extremo: solo las personas que participan pueden leerlas. Cada uno puede usar el servidor de su propio centro.",
  "conversations.empty.note": "Para empezar, añadirás una cuenta en Ajustes.",

  "settings.title": "Ajustes",
  "settings.loadFailed": "No se han podido cargar estos datos.",
  "settings.library.heading": "Biblioteca",
  "settings.library.description":
    "Commonplace guarda tus recursos en esta carpeta, en este equipo.",
  "settings.library.path": "Carpeta",
  "settings.library.formatVersion": "Versión del formato",
  "settings.library.id": "ID de la biblioteca",
  "settings.library.resources": "Recursos",
  "settings.library.collections": "Colecciones",
  "settings.accounts.heading": "Cuentas",
  "settings.accounts.body":
    "Una cuenta en el servidor de tu centro te permite conversar con tus colegas. Pronto podrás añadir cuentas.",
  "settings.about.heading": "Acerca de",
  "settings.about.version": "Versión",
  "settings.about.logFile": "Archivo de registro",
  "settings.about.logFileHint":
    "Si algo falla, este archivo ayuda a quien te dé soporte a averiguar por qué.",
};
