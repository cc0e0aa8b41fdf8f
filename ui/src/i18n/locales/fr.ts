// Français.

import type { Catalogue } from "../types";

export const fr: Catalogue = {
  "app.name": "Commonplace",

  "nav.label": "Rubriques",
  "nav.library": "Bibliothèque",
  "nav.collections": "Collections",
  "nav.conversations": "Conversations",
  "nav.settings": "Paramètres",
  "window.title": "{section} – Commonplace",

  "common.comingSoon": "Bientôt disponible",
  "common.dismiss": "Fermer",
  "common.loading": "Chargement…",
  "notices.label": "Notifications",

  "loading.library": "Ouverture de votre bibliothèque…",

  "startup.retry": "Réessayer",
  "startup.retrying": "Nouvel essai…",
  "startup.details": "Détails",
  "startup.errorCode": "Code : {kind}",
  "startup.logFile": "Fichier journal",
  "startup.closeOtherInstance.title": "Cette bibliothèque est déjà ouverte",
  "startup.closeOtherInstance.body":
    "Une autre fenêtre de Commonplace utilise cette bibliothèque. Une seule fenêtre peut s’en servir à la fois, pour que rien ne soit écrasé.",
  "startup.closeOtherInstance.step1":
    "Fermez l’autre fenêtre de Commonplace, puis choisissez « Réessayer ».",
  "startup.closeOtherInstance.step2":
    "Ou démarrez Commonplace avec un autre dossier de bibliothèque.",
  "startup.checkFolder.title": "Commonplace ne peut pas ouvrir le dossier de votre bibliothèque",
  "startup.checkFolder.body":
    "Le dossier a peut-être été déplacé, se trouve sur un disque non connecté, ou n’autorise pas Commonplace à le modifier.",
  "startup.checkFolder.step1":
    "Vérifiez que le disque est connecté et que vous pouvez ouvrir le dossier de la bibliothèque.",
  "startup.checkFolder.step2": "Puis choisissez « Réessayer ».",
  "startup.tryAgain.title": "Commonplace n’a pas pu ouvrir votre bibliothèque",
  "startup.tryAgain.body": "Un problème inattendu est survenu à l’ouverture.",
  "startup.tryAgain.step1": "Choisissez « Réessayer », ou quittez puis relancez Commonplace.",
  "startup.tryAgain.step2":
    "Si le problème persiste, envoyez le fichier journal à la personne qui vous aide avec votre ordinateur.",

  "library.title": "Bibliothèque",
  "library.empty.title": "Votre bibliothèque est vide",
  "library.empty.body":
    "Ajoutez les fiches d’exercices, diaporamas, PDF et pages web avec lesquels vous enseignez. Tout reste sur cet ordinateur et fonctionne hors ligne.",
  "library.empty.stepsHeading": "Premiers pas",
  "library.empty.importTitle": "Importez des fichiers ou un dossier entier",
  "library.empty.importBody":
    "Commonplace garde sa propre copie de chaque fichier : vos originaux ne sont jamais modifiés.",
  "library.empty.dragTitle": "Glissez des fichiers sur cette fenêtre",
  "library.empty.dragBody":
    "Déposez des documents directement depuis votre gestionnaire de fichiers.",
  "library.empty.licenceTitle": "Vérifiez la licence d’une ressource avant de la partager",
  "library.empty.licenceBody":
    "Chaque ressource indique ce que sa licence vous permet : l’utiliser, l’adapter, la partager.",
  "library.importFiles": "Importer des fichiers…",
  "library.importFolder": "Importer un dossier…",
  "library.importUnavailable": "L’importation arrive dans la prochaine version.",
  "library.resourceCount": {
    one: "{count} ressource",
    many: "{count} de ressources",
    other: "{count} ressources",
  },
  "library.listComingSoon":
    "La consultation et la recherche de vos ressources arrivent dans la prochaine version.",

  "collections.title": "Collections",
  "collections.empty.title": "Aucune collection pour l’instant",
  "collections.empty.body":
    "Une collection rassemble des ressources pour un cours, une séquence ou un thème, par exemple « Écologie en 4e » ou « Accueil des nouveaux collègues ». Une ressource peut appartenir à plusieurs collections, et une collection peut être partagée avec des collègues.",
  "collections.empty.note": "Les collections arriveront avec l’importation.",

  "conversations.title": "Conversations",
  "conversations.empty.title": "Aucune conversation pour l’instant",
  "conversations.empty.body":
    "Échangez des messages avec vos collègues et envoyez-leur des ressources. Les conversations sont chiffrées de bout en bout : seules les personnes qui y participent peuvent les lire. Chacun peut utiliser le serveur de son établissement.",
  "conversations.empty.note": "Pour commencer, vous ajouterez un compte dans les Paramètres.",

  "settings.title": "Paramètres",
  "settings.loadFailed": "Impossible de charger ces informations.",
  "settings.library.heading": "Bibliothèque",
  "settings.library.description":
    "Commonplace conserve vos ressources dans ce dossier, sur cet ordinateur.",
  "settings.library.path": "Dossier",
  "settings.library.formatVersion": "Version du format",
  "settings.library.id": "Identifiant de la bibliothèque",
  "settings.library.resources": "Ressources",
  "settings.library.collections": "Collections",
  "settings.accounts.heading": "Comptes",
  "settings.accounts.body":
    "Un compte sur le serveur de votre établissement vous permet de converser avec vos collègues. L’ajout de comptes arrive bientôt.",
  "settings.about.heading": "À propos",
  "settings.about.version": "Version",
  "settings.about.logFile": "Fichier journal",
  "settings.about.logFileHint":
    "En cas de problème, ce fichier aide la personne qui vous assiste à en trouver la cause.",
};
