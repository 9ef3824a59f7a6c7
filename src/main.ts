import './app/atlas-app.ts';
