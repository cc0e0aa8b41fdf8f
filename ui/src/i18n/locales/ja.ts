// 日本語。

import type { Catalogue } from "../types";

export const ja: Catalogue = {
  "app.name": "Commonplace",

  "nav.label": "セクション",
  "nav.library": "ライブラリ",
  "nav.collections": "コレクション",
  "nav.conversations": "会話",
  "nav.settings": "設定",
  "window.title": "{section} – Commonplace",

  "common.comingSoon": "近日公開",
  "common.dismiss": "閉じる",
  "common.loading": "読み込み中…",
  "notices.label": "通知",

  "loading.library": "ライブラリを開いています…",

  "startup.retry": "再試行",
  "startup.retrying": "再試行しています…",
  "startup.details": "詳細",
  "startup.errorCode": "コード: {kind}",
  "startup.logFile": "ログファイル",
  "startup.closeOtherInstance.title": "このライブラリはすでに開かれています",
  "startup.closeOtherInstance.body":
    "別の Commonplace ウィンドウがこのライブラリを使用しています。内容が上書きされないよう、ライブラリは一度に 1 つのウィンドウでしか使えません。",
  "startup.closeOtherInstance.step1":
    "もう一方の Commonplace ウィンドウを閉じてから、「再試行」を選んでください。",
  "startup.closeOtherInstance.step2":
    "または、別のライブラリフォルダーで Commonplace を起動してください。",
  "startup.checkFolder.title": "ライブラリのフォルダーを開けません",
  "startup.checkFolder.body":
    "フォルダーが移動されたか、ドライブが接続されていないか、Commonplace による変更が許可されていない可能性があります。",
  "startup.checkFolder.step1":
    "ドライブが接続されていて、ライブラリのフォルダーを開けることを確認してください。",
  "startup.checkFolder.step2": "その後、「再試行」を選んでください。",
  "startup.tryAgain.title": "ライブラリを開けませんでした",
  "startup.tryAgain.body": "ライブラリを開く際に予期しない問題が発生しました。",
  "startup.tryAgain.step1":
    "「再試行」を選ぶか、Commonplace をいったん終了してから起動し直してください。",
  "startup.tryAgain.step2": "問題が続く場合は、ログファイルをサポート担当者に送ってください。",

  "library.title": "ライブラリ",
  "library.empty.title": "ライブラリは空です",
  "library.empty.body":
    "授業で使うワークシート、スライド、PDF、Web ページを追加しましょう。すべてこのコンピューターに保存され、オフラインでも使えます。",
  "library.empty.stepsHeading": "はじめに",
  "library.empty.importTitle": "ファイルやフォルダーを取り込む",
  "library.empty.importBody":
    "Commonplace は各ファイルのコピーを保管するので、元のファイルが変更されることはありません。",
  "library.empty.dragTitle": "ファイルをこのウィンドウにドラッグする",
  "library.empty.dragBody": "ファイルマネージャーから文書を直接ドロップできます。",
  "library.empty.licenceTitle": "共有する前にリソースのライセンスを確認する",
  "library.empty.licenceBody":
    "各リソースには、そのライセンスで許可されていること（利用・改変・共有）が表示されます。",
  "library.importFiles": "ファイルを取り込む…",
  "library.importFolder": "フォルダーを取り込む…",
  "library.importUnavailable": "取り込み機能は次のバージョンで追加されます。",
  "library.resourceCount": { other: "{count} 件のリソース" },
  "library.listComingSoon": "リソースの一覧表示と検索は次のバージョンで追加されます。",

  "collections.title": "コレクション",
  "collections.empty.title": "コレクションはまだありません",
  "collections.empty.body":
    "コレクションは、授業や単元、テーマごとにリソースをまとめたものです（例：「中学 3 年 生態系」「新任教員研修」）。1 つのリソースを複数のコレクションに入れたり、コレクションを同僚と共有したりできます。",
  "collections.empty.note": "コレクションは取り込み機能と同時に追加されます。",

  "conversations.title": "会話",
  "conversations.empty.title": "会話はまだありません",
  "conversations.empty.body":
    "同僚とメッセージをやり取りし、リソースを送ることができます。会話はエンドツーエンドで暗号化され、参加者だけが読めます。それぞれが自分の所属機関のサーバーを使えます。",
  "conversations.empty.note": "始めるには、「設定」でアカウントを追加します。",

  "settings.title": "設定",
  "settings.loadFailed": "情報を読み込めませんでした。",
  "settings.library.heading": "ライブラリ",
  "settings.library.description":
    "Commonplace は、このコンピューター上のこのフォルダーにリソースを保管します。",
  "settings.library.path": "フォルダー",
  "settings.library.formatVersion": "フォーマットのバージョン",
  "settings.library.id": "ライブラリ ID",
  "settings.library.resources": "リソース",
  "settings.library.collections": "コレクション",
  "settings.accounts.heading": "アカウント",
  "settings.accounts.body":
    "所属機関のサーバーのアカウントを追加すると、同僚と会話できるようになります。アカウントの追加は近日公開予定です。",
  "settings.about.heading": "このアプリについて",
  "settings.about.version": "バージョン",
  "settings.about.logFile": "ログファイル",
  "settings.about.logFileHint":
    "問題が起きたとき、このファイルがサポート担当者による原因の特定に役立ちます。",
};
