// Português (Brasil, em linguagem que também se entende em Portugal).

import type { Catalogue } from "../types";

export const pt: Catalogue = {
  "app.name": "Commonplace",

  "nav.label": "Seções",
  "nav.library": "Biblioteca",
  "nav.collections": "Coleções",
  "nav.conversations": "Conversas",
  "nav.settings": "Configurações",
  "window.title": "{section} – Commonplace",

  "common.comingSoon": "Em breve",
  "common.dismiss": "Fechar",
  "common.loading": "Carregando…",
  "notices.label": "Notificações",

  "loading.library": "Abrindo sua biblioteca…",

  "startup.retry": "Tentar novamente",
  "startup.retrying": "Tentando novamente…",
  "startup.details": "Detalhes",
  "startup.errorCode": "Código: {kind}",
  "startup.logFile": "Arquivo de log",
  "startup.closeOtherInstance.title": "Esta biblioteca já está aberta",
  "startup.closeOtherInstance.body":
    "Outra janela do Commonplace está usando esta biblioteca. Só uma janela pode usá-la por vez, para que nada seja sobrescrito.",
  "startup.closeOtherInstance.step1":
    "Feche a outra janela do Commonplace e escolha “Tentar novamente”.",
  "startup.closeOtherInstance.step2": "Ou inicie o Commonplace com outra pasta de biblioteca.",
  "startup.checkFolder.title": "O Commonplace não consegue abrir a pasta da sua biblioteca",
  "startup.checkFolder.body":
    "A pasta pode ter sido movida, estar em uma unidade desconectada ou não permitir que o Commonplace faça alterações.",
  "startup.checkFolder.step1":
    "Verifique se a unidade está conectada e se você consegue abrir a pasta da biblioteca.",
  "startup.checkFolder.step2": "Depois, escolha “Tentar novamente”.",
  "startup.tryAgain.title": "O Commonplace não conseguiu abrir sua biblioteca",
  "startup.tryAgain.body": "Algo inesperado aconteceu ao abri-la.",
  "startup.tryAgain.step1": "Escolha “Tentar novamente” ou feche e abra o Commonplace de novo.",
  "startup.tryAgain.step2":
    "Se continuar acontecendo, envie o arquivo de log para quem ajuda você com o computador.",

  "library.title": "Biblioteca",
  "library.empty.title": "Sua biblioteca está vazia",
  "library.empty.body":
    "Adicione as fichas de atividades, apresentações, PDFs e páginas web que você usa nas aulas. Tudo fica neste computador e funciona sem internet.",
  "library.empty.stepsHeading": "Primeiros passos",
  "library.empty.importTitle": "Importe arquivos ou uma pasta inteira",
  "library.empty.importBody":
    "O Commonplace guarda sua própria cópia de cada arquivo, então seus originais nunca são alterados.",
  "library.empty.dragTitle": "Arraste arquivos para esta janela",
  "library.empty.dragBody": "Solte documentos direto do seu gerenciador de arquivos.",
  "library.empty.licenceTitle": "Confira a licença de um recurso antes de compartilhá-lo",
  "library.empty.licenceBody":
    "Cada recurso mostra o que a licença permite: usar, adaptar, compartilhar.",
  "library.importFiles": "Importar arquivos…",
  "library.importFolder": "Importar uma pasta…",
  "library.importUnavailable": "A importação chega na próxima versão.",
  "library.resourceCount": {
    one: "{count} recurso",
    many: "{count} de recursos",
    other: "{count} recursos",
  },
  "library.listComingSoon": "Navegar e pesquisar seus recursos chega na próxima versão.",

  "collections.title": "Coleções",
  "collections.empty.title": "Nenhuma coleção ainda",
  "collections.empty.body":
    "Uma coleção reúne recursos para um curso, uma unidade ou um tema, como “Ecologia – 9º ano” ou “Acolhimento de novos professores”. Um recurso pode estar em várias coleções, e uma coleção pode ser compartilhada com colegas.",
  "collections.empty.note": "As coleções chegam junto com a importação.",

  "conversations.title": "Conversas",
  "conversations.empty.title": "Nenhuma conversa ainda",
  "conversations.empty.body":
    "Troque mensagens com colegas e envie recursos para eles. As conversas têm criptografia de ponta a ponta: só quem participa pode lê-las. Cada pessoa pode usar o servidor da própria instituição.",
  "conversations.empty.note": "Para começar, você vai adicionar uma conta em Configurações.",

  "settings.title": "Configurações",
  "settings.loadFailed": "Não foi possível carregar estas informações.",
  "settings.library.heading": "Biblioteca",
  "settings.library.description":
    "O Commonplace guarda seus recursos nesta pasta, neste computador.",
  "settings.library.path": "Pasta",
  "settings.library.formatVersion": "Versão do formato",
  "settings.library.id": "ID da biblioteca",
  "settings.library.resources": "Recursos",
  "settings.library.collections": "Coleções",
  "settings.accounts.heading": "Contas",
  "settings.accounts.body":
    "Uma conta no servidor da sua instituição permite conversar com colegas. Em breve você poderá adicionar contas.",
  "settings.about.heading": "Sobre",
  "settings.about.version": "Versão",
  "settings.about.logFile": "Arquivo de log",
  "settings.about.logFileHint":
    "Se algo der errado, este arquivo ajuda quem dá suporte a você a descobrir o motivo.",
};
