import './app/inkroom-app.js';
